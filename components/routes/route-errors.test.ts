import { describe, expect, it } from "vitest";
import { isVersionConflict, placeRouteErrors, routeErrorMessages } from "./route-errors";

const trpcError = (code: string, message: string, fieldErrors?: Record<string, string[]>) => Object.assign(new Error(message), { data: { code, fieldErrors } });

const SHOWN = new Set(["name", "slug", "alias", "targets", "targets.0.weight", "targets.1.agentId", "deadlineMs"]);
const isShown = (path: string) => SHOWN.has(path);

describe("routeErrorMessages", () => {
  it("reads each validation issue's full path from the message, without the update's 'config.'", () => {
    const error = trpcError("BAD_REQUEST", "config.alias: Bad alias; config.targets.0.weight: A weight is 0–1000", { config: ["Bad alias", "A weight is 0–1000"] });
    expect(routeErrorMessages(error)).toEqual([
      { path: "alias", message: "Bad alias" },
      { path: "targets.0.weight", message: "A weight is 0–1000" },
    ]);
  });
  it("keeps colons inside a message", () => {
    expect(routeErrorMessages(trpcError("BAD_REQUEST", "alias: An alias is letters or . _ : / - characters"))).toEqual([
      { path: "alias", message: "An alias is letters or . _ : / - characters" },
    ]);
  });
  it("uses fieldErrors for a domain error about one field", () => {
    expect(routeErrorMessages(trpcError("CONFLICT", "Another route already uses the alias support", { alias: ["Another route already uses the alias support"] }))).toEqual([
      { path: "alias", message: "Another route already uses the alias support" },
    ]);
  });
  it("falls back to the message", () => {
    expect(routeErrorMessages(trpcError("NOT_FOUND", "Agent not found"))).toEqual([{ path: null, message: "Agent not found" }]);
    expect(routeErrorMessages(null)).toEqual([]);
  });
});

describe("placeRouteErrors", () => {
  it("puts each message on the closest shown field, the rest on the form", () => {
    const error = trpcError(
      "BAD_REQUEST",
      "deadlineMs: Too short; targets.0.weight: A weight is 0–1000; targets.3.priority: A priority is 0–100; orgSlug: Bad; Something general",
    );
    expect(placeRouteErrors(error, isShown)).toEqual({
      fields: { deadlineMs: "Too short", "targets.0.weight": "A weight is 0–1000", targets: "A priority is 0–100" },
      form: "orgSlug: Bad Something general",
    });
  });
  it("joins several messages for one field", () => {
    expect(placeRouteErrors(trpcError("BAD_REQUEST", "targets: One; targets: Two"), isShown).fields).toEqual({ targets: "One Two" });
  });
});

describe("isVersionConflict", () => {
  it("tells a stale version from a taken slug", () => {
    expect(isVersionConflict(trpcError("CONFLICT", "Someone saved this route meanwhile; reload it"))).toBe(true);
    expect(isVersionConflict(trpcError("CONFLICT", "Taken", { slug: ["Taken"] }))).toBe(false);
    expect(isVersionConflict(trpcError("BAD_REQUEST", "x"))).toBe(false);
  });
});

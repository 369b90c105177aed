import { describe, expect, it } from "vitest";
import type { RouteDetail } from "@/server/routes/schema";
import {
  agentChoices,
  configFromJson,
  configFromRoute,
  emptyRouteForm,
  formSignature,
  isEditorField,
  formFromConfig,
  newHeaderRow,
  newTargetRow,
  parseWholeNumber,
  readRouteForm,
  removeRow,
  slugify,
  updateRow,
  withName,
  withSlug,
  withStrategy,
  NUMBER_RULES,
  type RouteForm,
} from "./route-form";

const A = "cagentaaaaaaaaaaaaaaaaaaaa";
const B = "cagentbbbbbbbbbbbbbbbbbbbb";

const filled = (patch: Partial<RouteForm> = {}): RouteForm => ({
  ...withName(emptyRouteForm(), "Support bot"),
  alias: " support-bot ",
  targets: [newTargetRow({ agentId: A })],
  ...patch,
});

const route: RouteDetail = {
  id: "croute",
  name: "Support",
  slug: "support",
  alias: "support-bot",
  description: null,
  enabled: true,
  strategy: "PRIORITY",
  targetCount: 2,
  version: 3,
  updatedAt: new Date("2026-11-25T12:00:00Z"),
  requiredSkill: null,
  matchTags: ["eu"],
  labels: ["PHI", "EU"],
  headerConditions: [{ header: "x-tier", op: "equals", value: "gold" }],
  timeoutMs: 10_000,
  deadlineMs: 20_000,
  maxRetries: 1,
  retryBudgetPercent: 10,
  breakerFailureThreshold: 3,
  breakerCooldownMs: 15_000,
  targets: [
    { agentId: A, agentName: "Alpha", agentSlug: "alpha", agentProtocol: "A2A", agentStatus: "ACTIVE", weight: 100, priority: 0, model: null },
    { agentId: B, agentName: "Beta", agentSlug: "beta", agentProtocol: "OPENAI", agentStatus: "UNHEALTHY", weight: 50, priority: 1, model: "gpt-4o-mini" },
  ],
};

describe("slugify", () => {
  it("makes a slug the server accepts", () => {
    expect(slugify("EU Support (v2)")).toBe("eu-support-v2");
    expect(slugify("  Crème brûlée  ")).toBe("creme-brulee");
    expect(slugify("--")).toBe("");
    expect(slugify("a".repeat(47) + " b")).toBe("a".repeat(47));
  });
});

describe("name and slug", () => {
  it("derives the slug from the name until the slug is typed", () => {
    let form = withName(emptyRouteForm(), "Support Bot");
    expect(form.slug).toBe("support-bot");
    form = withSlug(form, "help");
    form = withName(form, "Other name");
    expect(form.slug).toBe("help");
  });
  it("gives the slug back to the name when it is cleared", () => {
    const form = withSlug(withSlug(withName(emptyRouteForm(), "Support"), "x"), "");
    expect(form).toMatchObject({ slug: "support", slugTouched: false });
  });
});

describe("parseWholeNumber", () => {
  it("reads whole numbers within the range", () => {
    expect(parseWholeNumber(" 30000 ", NUMBER_RULES.timeoutMs)).toEqual({ value: 30_000 });
    expect(parseWholeNumber("30_000", NUMBER_RULES.timeoutMs)).toEqual({ value: 30_000 });
    expect(parseWholeNumber("0", NUMBER_RULES.maxRetries)).toEqual({ value: 0 });
  });
  it("explains what is wrong", () => {
    expect(parseWholeNumber("", NUMBER_RULES.weight)).toEqual({ error: "Give a number" });
    expect(parseWholeNumber("1.5", NUMBER_RULES.weight)).toEqual({ error: "“1.5” is not a whole number" });
    expect(parseWholeNumber("abc", NUMBER_RULES.weight)).toEqual({ error: "“abc” is not a whole number" });
    expect(parseWholeNumber("11", NUMBER_RULES.maxRetries)).toEqual({ error: "Retries are 0–10" });
    expect(parseWholeNumber("-1", NUMBER_RULES.priority)).toEqual({ error: "A priority is 0–100" });
  });
});

describe("readRouteForm", () => {
  it("turns a new route's form into a RouteConfig with the defaults", () => {
    const result = readRouteForm(filled({ matchTags: "EU, prod, eu", description: "  " }));
    expect(result.errors).toBeNull();
    expect(result.config).toEqual({
      name: "Support bot",
      slug: "support-bot",
      alias: "support-bot",
      description: null,
      strategy: "WEIGHTED",
      requiredSkill: null,
      matchTags: ["eu", "prod"],
      labels: [],
      headerConditions: [],
      timeoutMs: 30_000,
      deadlineMs: 60_000,
      maxRetries: 2,
      retryBudgetPercent: 20,
      breakerFailureThreshold: 5,
      breakerCooldownMs: 30_000,
      targets: [{ agentId: A, weight: 100, priority: 0, model: null }],
    });
  });

  it("reads data labels like tags, upper-cased", () => {
    expect(readRouteForm(filled({ labels: " phi, EU,, Phi " })).config?.labels).toEqual(["PHI", "EU"]);
    expect(readRouteForm(filled({ labels: "" })).config?.labels).toEqual([]);
  });

  it("explains a data label the server would refuse", () => {
    expect(readRouteForm(filled({ labels: "PHI, top secret" })).errors).toEqual({
      labels: expect.stringMatching(/^“TOP SECRET” is not a valid data label/),
    });
    const many = Array.from({ length: 21 }, (_, i) => `L${i}`).join(",");
    expect(readRouteForm(filled({ labels: many })).errors).toEqual({ labels: "At most 20 data labels" });
  });

  it("normalizes header conditions: lowercase names, no value for 'present'", () => {
    const result = readRouteForm(
      filled({ headerConditions: [newHeaderRow({ header: " X-Tier ", op: "equals", value: "gold" }), newHeaderRow({ header: "x-beta", op: "present", value: "ignored" })] }),
    );
    expect(result.config?.headerConditions).toEqual([
      { header: "x-tier", op: "equals", value: "gold" },
      { header: "x-beta", op: "present", value: null },
    ]);
  });

  it("keys problems by the server's field paths, row by row", () => {
    const result = readRouteForm(
      filled({
        matchTags: "machine learning",
        headerConditions: [newHeaderRow({ header: "", value: "" })],
        targets: [newTargetRow({ agentId: A, weight: "heavy" }), newTargetRow({ agentId: A, priority: "101" }), newTargetRow()],
        timeoutMs: "5000",
        deadlineMs: "1000",
      }),
    );
    expect(result.config).toBeNull();
    expect(result.errors).toEqual({
      matchTags: expect.stringMatching(/^“machine learning” is not a valid tag/),
      "headerConditions.0.header": "Give the header name, or remove this condition",
      "headerConditions.0.value": "Give the value to compare with",
      "targets.0.weight": "“heavy” is not a whole number",
      "targets.1.agentId": "This agent is already a target",
      "targets.1.priority": "A priority is 0–100",
      "targets.2.agentId": "Choose an agent, or remove this row",
      deadlineMs: "The deadline must be at least the per-attempt timeout",
    });
  });

  it("needs targets, except for a capability route, which needs a skill instead", () => {
    expect(readRouteForm(filled({ targets: [] })).errors).toEqual({ targets: "Add at least one agent as a target" });
    expect(readRouteForm(filled({ strategy: "CAPABILITY", targets: [] })).errors).toEqual({
      requiredSkill: "A capability-based route needs the skill to look for",
    });
    const ok = readRouteForm(filled({ strategy: "CAPABILITY", requiredSkill: " translate ", targets: [] }));
    expect(ok.config).toMatchObject({ strategy: "CAPABILITY", requiredSkill: "translate", targets: [] });
  });

  it("drops a leftover skill when the strategy is not capability-based", () => {
    expect(readRouteForm(filled({ requiredSkill: "translate" })).config?.requiredSkill).toBeNull();
  });

  it("derives a slug from the name when the slug is empty", () => {
    expect(readRouteForm(filled({ slug: "" })).config?.slug).toBe("support-bot");
  });
});

describe("saved routes", () => {
  it("round-trips a route through the form unchanged", () => {
    const config = configFromRoute(route);
    expect(config.targets).toEqual([
      { agentId: A, weight: 100, priority: 0, model: null },
      { agentId: B, weight: 50, priority: 1, model: "gpt-4o-mini" },
    ]);
    const form = formFromConfig(config);
    expect(form.slugTouched).toBe(true);
    expect(form.matchTags).toBe("eu");
    expect(form.labels).toBe("PHI, EU");
    expect(readRouteForm(form).config).toEqual(config);
  });

  it("reads a stored version leniently, with defaults for what it lacks", () => {
    expect(configFromJson({ name: "Old", slug: "old", alias: "old", targets: [{ agentId: A }], headerConditions: [{ header: "x", op: "weird" }] })).toEqual({
      name: "Old",
      slug: "old",
      alias: "old",
      description: null,
      strategy: "WEIGHTED",
      requiredSkill: null,
      matchTags: [],
      labels: [],
      headerConditions: [{ header: "x", op: "equals", value: null }],
      timeoutMs: 30_000,
      deadlineMs: 60_000,
      maxRetries: 2,
      retryBudgetPercent: 20,
      breakerFailureThreshold: 5,
      breakerCooldownMs: 30_000,
      targets: [{ agentId: A, weight: 100, priority: 0, model: null }],
    });
    expect(configFromJson(configFromRoute(route))).toEqual(configFromRoute(route));
    expect(configFromJson(null).targets).toEqual([]);
  });
});

describe("rows", () => {
  it("updates and removes one row, leaving the others", () => {
    const rows = [newTargetRow({ agentId: A }), newTargetRow({ agentId: B })];
    expect(updateRow(rows, 1, { weight: "5" }).map((r) => r.weight)).toEqual(["100", "5"]);
    expect(removeRow(rows, 0).map((r) => r.agentId)).toEqual([B]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(2);
  });

  it("offers each row the agents no other row has chosen", () => {
    const agents = [{ id: A }, { id: B }, { id: "c" }];
    const targets = [{ agentId: A }, { agentId: "" }];
    expect(agentChoices(agents, targets, 0).map((a) => a.id)).toEqual([A, B, "c"]);
    expect(agentChoices(agents, targets, 1).map((a) => a.id)).toEqual([B, "c"]);
  });
});

describe("formSignature and isEditorField", () => {
  it("ignores row keys, so a reloaded form is not 'edited'", () => {
    const config = configFromRoute(route);
    expect(formSignature(formFromConfig(config))).toBe(formSignature(formFromConfig(config)));
    expect(formSignature(withName(formFromConfig(config), "Other"))).not.toBe(formSignature(formFromConfig(config)));
  });
  it("knows the fields and the rows that exist", () => {
    const form = filled({ headerConditions: [newHeaderRow()] });
    expect(isEditorField(form, "alias")).toBe(true);
    expect(isEditorField(form, "labels")).toBe(true);
    expect(isEditorField(form, "targets.0.weight")).toBe(true);
    expect(isEditorField(form, "targets.1.weight")).toBe(false);
    expect(isEditorField(form, "headerConditions.0.value")).toBe(true);
    expect(isEditorField(form, "orgSlug")).toBe(false);
  });
});

describe("withStrategy", () => {
  it("drops unchosen rows for a capability route and offers one row for the others", () => {
    const capability = withStrategy(filled({ targets: [newTargetRow({ agentId: A }), newTargetRow()] }), "CAPABILITY");
    expect(capability.targets.map((t) => t.agentId)).toEqual([A]);
    const empty = withStrategy(filled({ strategy: "CAPABILITY", targets: [] }), "LATENCY");
    expect(empty.targets).toHaveLength(1);
    expect(empty.targets[0]?.agentId).toBe("");
  });
});

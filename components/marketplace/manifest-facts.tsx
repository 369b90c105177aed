import { Fact } from "@/components/agents/facts";
import type { ListingKind } from "@/server/marketplace/manifest";
import { configFields, readConfigSchema } from "./config-form";

const hookLabel: Record<string, string> = {
  before_request: "before a request goes to an agent",
  after_response: "on the answer",
  stream_chunk: "on each streamed chunk",
};

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * What the latest version installs, read from its manifest: a plugin's hook points, time budget and
 * default fail mode; a pack's policies; a template's route or agent; and the configuration asked for.
 */
export function ManifestFacts({ kind, manifest }: { kind: ListingKind; manifest: Record<string, unknown> }) {
  const fields = configFields(readConfigSchema(manifest));
  return (
    <dl className="grid gap-3 text-sm">
      {kind === "GATEWAY_PLUGIN" && (
        <>
          <Fact term="Runs">{asArray(manifest.hooks).map((h) => hookLabel[String(h)] ?? String(h)).join("; ") || "—"}</Fact>
          <Fact term="Time budget per call">{typeof manifest.timeoutMs === "number" ? `${manifest.timeoutMs} ms` : "1000 ms"}</Fact>
          <Fact term="When the plugin fails">{manifest.failMode === "closed" ? "Refuse the request (fail closed) by default" : "Let the request through (fail open) by default"}</Fact>
        </>
      )}
      {kind === "POLICY_PACK" && (
        <Fact term="Policies">
          <ul className="grid gap-0.5">
            {asArray(manifest.policies).map((p, i) => (
              <li key={i}>{String((p as { name?: unknown }).name ?? `Policy ${i + 1}`)}</li>
            ))}
          </ul>
        </Fact>
      )}
      {kind === "ROUTE_TEMPLATE" && <Fact term="Creates">A route ({String((manifest.route as { strategy?: unknown } | undefined)?.strategy ?? "").toLowerCase() || "any"} strategy)</Fact>}
      {kind === "AGENT_TEMPLATE" && <Fact term="Creates">An agent ({String((manifest.agent as { protocol?: unknown } | undefined)?.protocol ?? "—")})</Fact>}
      <Fact term="Configuration">
        {fields.length === 0 ? (
          <span className="text-muted-foreground">None</span>
        ) : (
          <ul className="grid gap-0.5">
            {fields.map((f) => (
              <li key={f.name}>
                {f.label}
                {f.required && <span className="text-muted-foreground"> (required)</span>}
                {f.control.kind === "text" && f.control.secret && <span className="text-muted-foreground"> (secret, stored encrypted)</span>}
              </li>
            ))}
          </ul>
        )}
      </Fact>
    </dl>
  );
}

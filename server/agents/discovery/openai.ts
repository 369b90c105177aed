import { z } from "zod";
import { parseAgentUrl, safeFetch, shownUrl } from "../net/safe-fetch";
import { credentialHeaderNames, credentialHeaders } from "./credential";
import { capDocument } from "./document";
import { DiscoveryError, HOST_LEVEL_CODES } from "./errors";
import type { Credential, DiscoveredSkill, Discovery, NetworkPolicy } from "./types";
import { describeIssue } from "./zod-issues";

/** OpenAI-compatible APIs: `GET <base>/models` lists the models, which are the agent's skills. */

const modelsSchema = z.looseObject({
  object: z.string().nullish(),
  data: z.array(z.looseObject({ id: z.string().min(1), owned_by: z.string().nullish() })),
});

/** Base URLs to try, in order: the URL as given when it ends in /v1 (or …/models), else `<url>/v1` then `<url>`. */
export function openAiBaseCandidates(input: string | URL): string[] {
  const url = parseAgentUrl(input);
  url.search = "";
  const path = url.pathname.replace(/\/+$/, "");
  const base = `${url.origin}${path}`;
  if (/\/models$/i.test(path)) return [base.replace(/\/models$/i, "")];
  if (/\/v1$/i.test(path)) return [base];
  return [`${base}/v1`, base];
}

export async function discoverOpenAI(opts: { url: string; credential?: Credential | null; network: NetworkPolicy; timeoutMs?: number }): Promise<Discovery> {
  const headers = { accept: "application/json", ...credentialHeaders("OPENAI", opts.credential) };
  const tried: { url: string; error: DiscoveryError }[] = [];

  for (const base of openAiBaseCandidates(opts.url)) {
    const modelsUrl = `${base}/models`;
    try {
      const res = await safeFetch(modelsUrl, { network: opts.network, headers, timeoutMs: opts.timeoutMs, secretHeaders: credentialHeaderNames(opts.credential) });
      if (res.status === 401 || res.status === 403) {
        await res.discard();
        throw new DiscoveryError(
          "http_error",
          `${shownUrl(modelsUrl)} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ""}: the API needs a key. Add it as the agent's credential (an API key is sent as "Authorization: Bearer …").`,
          { status: res.status },
        );
      }
      if (!res.ok) {
        await res.discard();
        throw new DiscoveryError("http_error", `${shownUrl(modelsUrl)} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`, { status: res.status });
      }
      const body = await res.json();
      return fromModels(body, base, res.url);
    } catch (e) {
      if (!(e instanceof DiscoveryError)) throw e;
      if (e.code === "invalid_document" || e.code === "timeout" || e.status === 401 || e.status === 403 || HOST_LEVEL_CODES.has(e.code)) throw e;
      tried.push({ url: modelsUrl, error: e });
    }
  }
  const first = tried[0]!.error;
  const list = tried.map((t) => `${shownUrl(t.url)} (${t.error.status ? `answered ${t.error.status}` : t.error.code.replace("_", " ")})`).join(", ");
  throw new DiscoveryError(first.code, `No OpenAI-compatible model list found. Tried ${list}. Enter the API's base URL, usually ending in /v1.`, {
    status: first.status,
    cause: first,
  });
}

export function fromModels(body: unknown, base: string, sourceUrl: string): Discovery {
  const parsed = modelsSchema.safeParse(body);
  if (!parsed.success) {
    throw new DiscoveryError("invalid_document", `${describeIssue(parsed.error, body, "the model list", { data: "Model" })} (read from ${shownUrl(sourceUrl)})`);
  }
  const owners = [...new Set(parsed.data.data.map((m) => m.owned_by).filter((o): o is string => !!o))];
  return {
    protocol: "OPENAI",
    endpointUrl: base,
    sourceUrl,
    name: null,
    description: null,
    version: null,
    provider: owners.length === 1 ? owners[0]! : null,
    protocolVersion: null,
    capabilities: {},
    skills: parsed.data.data.map(
      (m): DiscoveredSkill => ({
        kind: "model",
        key: m.id,
        name: m.id,
        description: null,
        tags: m.owned_by ? [m.owned_by] : [],
        inputModes: [],
        outputModes: [],
        inputSchema: null,
        examples: [],
      }),
    ),
    document: capDocument(body),
  };
}

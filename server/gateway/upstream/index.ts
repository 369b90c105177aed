/** The gateway's outbound side: one call per attempt, dispatched by the agent's protocol. */
import { UpstreamError, type UpstreamCallOptions, type UpstreamResult } from "../types";
import { callA2a } from "./a2a";
import { callOpenAi } from "./openai";

export { a2aPrompt, callA2a } from "./a2a";
export { MAX_UPSTREAM_BYTES } from "./http";
export { callOpenAi, openAiBody } from "./openai";
export { closeUpstreams, upstreamDispatcher, UPSTREAM_CONNECT_TIMEOUT_MS, UPSTREAM_CONNECTIONS_PER_ORIGIN } from "./pool";

export function callUpstream(opts: UpstreamCallOptions): Promise<UpstreamResult> {
  switch (opts.agent.protocol) {
    case "OPENAI":
      return callOpenAi(opts);
    case "A2A":
      return callA2a(opts);
    default:
      return Promise.reject(
        new UpstreamError(`${opts.agent.name} speaks ${opts.agent.protocol}: MCP agents cannot answer chat requests`, "protocol", {
          retryable: false,
        }),
      );
  }
}

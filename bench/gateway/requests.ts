/** What every target is sent: the same bytes, whether it is the upstream, the bare proxy or the gateway. */

/** The model the upstream lists and the route target asks for. */
export const UPSTREAM_MODEL = "bench-model";
/** The route alias clients name as `model`. */
export const ROUTE_ALIAS = "bench";

export const CHAT_PATH = "/v1/chat/completions";

export const chatBody = JSON.stringify({ model: ROUTE_ALIAS, messages: [{ role: "user", content: "Say hello." }] });

export const streamBody = JSON.stringify({
  model: ROUTE_ALIAS,
  messages: [{ role: "user", content: "Say hello, slowly." }],
  stream: true,
});

export function chatHeaders(apiKey: string): Record<string, string> {
  return { "content-type": "application/json", authorization: `Bearer ${apiKey}` };
}

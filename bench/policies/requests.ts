/**
 * What the policies benchmark sends to both organizations: the same bytes (each with its own API
 * key). A realistic prompt of about 500 characters holding one email address, so the request PII
 * detection finds something and the masker replaces it; the data labels EU and PHI in
 * x-helix-data-labels, which the REQUIRE_LABEL and RESTRICT_ROUTING policies read; and a max_tokens
 * the CAP_TOKENS policy lowers.
 */
import { chatHeaders, ROUTE_ALIAS } from "../gateway/requests";

export const USER_MESSAGE =
  "I am preparing the quarterly vendor review for our Lisbon office and need a short summary I can paste into the board pack. " +
  "Please list the three supplier contracts that renew before March, note which of them include an automatic price increase above four percent, " +
  "and suggest one negotiation point for each. Keep the tone neutral and do not give legal advice. If anything in the contract data looks " +
  "inconsistent, flag it instead of guessing, and send follow-up questions to maria.lopes@example.com so procurement can confirm the figures by Friday.";

/** What the user message holds that the PII detector finds. */
export const MESSAGE_PII = "one email address (maria.lopes@example.com), nothing else";

export const DATA_LABELS = "EU, PHI";
export const MAX_TOKENS = 512;

export const policiesChatBody = JSON.stringify({ model: ROUTE_ALIAS, messages: [{ role: "user", content: USER_MESSAGE }], max_tokens: MAX_TOKENS });
export const policiesStreamBody = JSON.stringify({
  model: ROUTE_ALIAS,
  messages: [{ role: "user", content: USER_MESSAGE }],
  max_tokens: MAX_TOKENS,
  stream: true,
});

export function policiesHeaders(apiKey: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...chatHeaders(apiKey), "x-helix-data-labels": DATA_LABELS, ...extra };
}

/**
 * A model answer of about 500 characters with one email address, for the masker micro-benchmark,
 * split the way a stream delivers it (a few characters a chunk, like tokens).
 */
export const ANSWER_500 =
  "Here is the summary for the board pack. Three supplier contracts renew before March: facilities maintenance (renews 14 January, " +
  "indexed increase of 5.2 percent), the cloud hosting agreement (renews 1 February, fixed price), and office supplies (renews 28 February, " +
  "increase capped at 3 percent). Only facilities maintenance exceeds four percent. Suggested points: ask for a two-year term in exchange for " +
  "a cap, bundle hosting support hours, and consolidate supply orders. Questions went to maria.lopes@example.com as requested.";

export function chunked(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

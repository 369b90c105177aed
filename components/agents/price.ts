import { PRICE_MESSAGE, pricePerMTokSchema } from "@/server/agents/schema";

/** An agent's price as typed into a form: "" when it has none. */
export function priceText(value: number | null): string {
  return value === null ? "" : String(value);
}

/**
 * A price field's text → what to send: empty is null (no price), "$0.15" and "0.15" are 0.15.
 * Checked with the server's own rule, so the message is the one the server would give.
 */
export function parsePrice(text: string): { ok: true; value: number | null } | { ok: false; error: string } {
  const trimmed = text.trim().replace(/^\$\s*/, "");
  if (trimmed === "") return { ok: true, value: null };
  // Number() reads "", "0x10" and "1e3" too; a price is written as plain decimals.
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return { ok: false, error: PRICE_MESSAGE };
  const parsed = pricePerMTokSchema.safeParse(Number(trimmed));
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? PRICE_MESSAGE };
  return { ok: true, value: parsed.data ?? null };
}

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 6 });

/** 0.6 → "$0.60", 0.000125 → "$0.000125". */
export function formatPrice(value: number): string {
  return usd.format(value);
}

/** What the agent costs, in a sentence that also says when the gateway records no cost. */
export function describePrices(prices: { inputPricePerMTok: number | null; outputPricePerMTok: number | null }): string {
  const { inputPricePerMTok: input, outputPricePerMTok: output } = prices;
  if (input === null && output === null) return "Not set — cost is not recorded";
  const pair = `${input === null ? "not set" : formatPrice(input)} / ${output === null ? "not set" : formatPrice(output)} per 1M tokens (input / output)`;
  return input === null || output === null ? `${pair} — cost is recorded only when both are set` : pair;
}

export const PRICE_HELP = "US dollars per million tokens. The gateway records each request's cost only when both prices are set.";

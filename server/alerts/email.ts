import nodemailer from "nodemailer";
import { env } from "@/server/env";
import type { Tx } from "@/server/db";
import { metricLabel, type Evidence, type Metric, type RuleKind, type WebhookEvent } from "./schema";
import { formatMetric, scopeLabel } from "./series";

/** Alert emails go out only when the server has an SMTP connection; recipients may be saved regardless. */
export function emailConfigured(): boolean {
  return Boolean(env().SMTP_URL);
}

export const EMAIL_NOT_CONFIGURED = "Email is not configured on this server (SMTP_URL)";

/** What an alert email says, captured when the event happens (like a webhook's payload). */
export interface AlertEmailFacts {
  event: WebhookEvent;
  ruleName: string;
  severity: string;
  summary: string;
  metric: string;
  scope: string;
  startedAt: string;
  /** The newest breaching value, and what was expected (band or threshold); null for agent health. */
  value: string | null;
  expected: string | null;
  by: string | null;
  url: string;
}

const OP_SYMBOL: Record<string, string> = { gt: ">", gte: "≥", lt: "<", lte: "≤" };

function expectedOf(metric: Metric, evidence: Partial<Evidence>): { value: string | null; expected: string | null } {
  const points = evidence.points ?? [];
  const point = points.findLast((p) => p.anomaly && p.value !== null) ?? points.findLast((p) => p.value !== null);
  if (!point) return { value: null, expected: null };
  const value = formatMetric(metric, point.value);
  if (evidence.threshold) return { value, expected: `${OP_SYMBOL[evidence.threshold.op] ?? evidence.threshold.op} ${formatMetric(metric, evidence.threshold.value)} is a breach` };
  if (point.expected === null) return { value, expected: null };
  return { value, expected: `${formatMetric(metric, point.expected)} (${formatMetric(metric, point.lower)} – ${formatMetric(metric, point.upper)})` };
}

export async function alertEmailFacts(
  tx: Tx,
  opts: {
    event: WebhookEvent;
    alert: { id: string; severity: string; summary: string; startedAt: Date; evidence: unknown; ackedByEmail: string | null; resolvedBy: string | null };
    rule: { name: string; kind: RuleKind; metric: string; routeId: string | null; agentId: string | null };
    org: { id: string; slug: string };
  },
): Promise<AlertEmailFacts> {
  const { alert, rule, event } = opts;
  const metric = rule.kind === "AGENT_HEALTH" ? null : (rule.metric as Metric);
  const path = `/o/${opts.org.slug}/alerts/${alert.id}`;
  const base = env().AUTH_URL;
  return {
    event,
    ruleName: rule.name,
    severity: alert.severity,
    summary: alert.summary,
    metric: metric ? metricLabel[metric] : "Agent health",
    scope: await scopeLabel(tx, { orgId: opts.org.id, routeId: rule.routeId, agentId: rule.agentId }),
    startedAt: alert.startedAt.toISOString(),
    ...(metric ? expectedOf(metric, (alert.evidence ?? {}) as Partial<Evidence>) : { value: null, expected: null }),
    by: event === "acked" ? alert.ackedByEmail : event === "resolved" ? alert.resolvedBy : null,
    url: base ? new URL(path, base).href : path,
  };
}

const EVENT_WORD: Record<WebhookEvent, string> = { fired: "Firing", acked: "Acknowledged", resolved: "Resolved" };

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function renderAlertEmail(f: AlertEmailFacts): { subject: string; text: string; html: string } {
  const word = EVENT_WORD[f.event];
  const rows: [string, string][] = [
    ["Rule", f.ruleName],
    ["Severity", f.severity],
    ["Metric", f.metric],
    ["Scope", f.scope],
    ["Started", f.startedAt],
    ...(f.value !== null ? ([["Value", f.value]] as [string, string][]) : []),
    ...(f.expected !== null ? ([["Expected", f.expected]] as [string, string][]) : []),
    ...(f.by ? ([[f.event === "acked" ? "Acknowledged by" : "Resolved by", f.by]] as [string, string][]) : []),
  ];
  const subject = `[HelixAgent] ${word}: ${f.ruleName} (${f.severity})`;
  const text = [`${word}: ${f.summary}`, "", ...rows.map(([k, v]) => `${k}: ${v}`), "", `Open the alert: ${f.url}`, ""].join("\n");
  const html = [
    `<p><strong>${escapeHtml(word)}:</strong> ${escapeHtml(f.summary)}</p>`,
    `<table cellpadding="4" style="border-collapse:collapse">`,
    ...rows.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    `</table>`,
    `<p><a href="${escapeHtml(f.url)}">Open the alert</a></p>`,
  ].join("\n");
  return { subject, text, html };
}

/** One email over SMTP_URL; throws what the SMTP server (or the connection) said. */
export async function sendAlertEmail(opts: { to: string; facts: AlertEmailFacts; timeoutMs: number }): Promise<void> {
  const { SMTP_URL, SMTP_FROM } = env();
  if (!SMTP_URL) throw new Error(EMAIL_NOT_CONFIGURED);
  const transport = nodemailer.createTransport({
    url: SMTP_URL,
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: opts.timeoutMs,
  });
  try {
    await transport.sendMail({ from: SMTP_FROM, to: opts.to, ...renderAlertEmail(opts.facts) });
  } finally {
    transport.close();
  }
}

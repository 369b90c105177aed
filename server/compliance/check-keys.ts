// The automated checks by key, with what each one asks of the organization. Pure data, so the
// console, the catalog and custom frameworks can name checks without loading the checks themselves.

export const CHECK_KEYS = [
  "sso.members",
  "audit.chain",
  "pii.redaction",
  "telemetry.retention",
  "agents.credentials",
  "residency.eu",
  "policies.enforced",
  "alerts.availability",
  "webhooks.signed",
  "dsr.timely",
] as const;

export type CheckKey = (typeof CHECK_KEYS)[number];

/** Raw gateway events may be kept at most this many days for `telemetry.retention` to pass. */
export const MAX_RAW_RETENTION_DAYS = 30;

/** Data-subject requests still open after this many days fail `dsr.timely` (GDPR asks for one month). */
export const DSR_MAX_OPEN_DAYS = 30;

export const CHECK_INFO: Record<CheckKey, { title: string; description: string }> = {
  "sso.members": {
    title: "Members sign in through single sign-on",
    description: "An OIDC identity provider is configured and no member of the organization signs in with a password only.",
  },
  "audit.chain": {
    title: "Audit log is intact",
    description: "Every audit event's hash matches its content and the previous event's hash, so no event was altered or removed.",
  },
  "pii.redaction": {
    title: "PII is redacted on PHI / PII routes",
    description: "Every enabled route labelled PHI or PII is covered by an enabled, enforced redact policy that masks requests before agents see them.",
  },
  "telemetry.retention": {
    title: `Raw telemetry is kept at most ${MAX_RAW_RETENTION_DAYS} days`,
    description: `Raw gateway request events are deleted after ${MAX_RAW_RETENTION_DAYS} days or sooner (rollups without request content are kept).`,
  },
  "agents.credentials": {
    title: "Agent credentials are encrypted at rest",
    description: "The server has an encryption key and every agent credential is stored as ciphertext that opens with it.",
  },
  "residency.eu": {
    title: "EU traffic stays on EU agents",
    description: "Every enabled route labelled EU is covered by an enforced restrict-routing policy, and no agent outside the EU can serve it.",
  },
  "policies.enforced": {
    title: "Deny policies are enforced",
    description: "At least one enabled deny policy runs in enforce mode; policies left in monitor mode only record what they would do.",
  },
  "alerts.availability": {
    title: "Error-rate or agent-health alerts are configured",
    description: "An enabled alert rule watches the error rate or the health of agents, so outages are noticed.",
  },
  "webhooks.signed": {
    title: "Webhooks are signed",
    description: "Every webhook has a signing secret the server can use, so receivers can verify that notifications came from HelixAgent.",
  },
  "dsr.timely": {
    title: "Data-subject requests are answered in time",
    description: `No data-subject request has failed without a later success, and none has been open for more than ${DSR_MAX_OPEN_DAYS} days.`,
  },
};

export function isCheckKey(value: string): value is CheckKey {
  return (CHECK_KEYS as readonly string[]).includes(value);
}

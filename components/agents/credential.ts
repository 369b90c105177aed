import type { AgentDetail, CredentialInput } from "@/server/agents/schema";

export type CredentialKind = CredentialInput["kind"];
/** What the credential select offers: nothing, or one of the kinds. */
export type CredentialChoice = "NONE" | CredentialKind;

/** The credential fields of a form, as typed; turned into API input only on submit. */
export interface CredentialDraft {
  kind: CredentialChoice;
  headerName: string;
  value: string;
}

export const emptyCredentialDraft: CredentialDraft = { kind: "NONE", headerName: "", value: "" };

export const credentialChoiceLabel: Record<CredentialChoice, string> = {
  NONE: "None",
  BEARER: "Bearer token",
  API_KEY: "API key",
  HEADER: "Custom header",
};

export const credentialHelp: Record<CredentialChoice, string> = {
  NONE: "The agent is called without credentials.",
  BEARER: "Sent as Authorization: Bearer <token>.",
  API_KEY: "Sent as X-API-Key to A2A agents and MCP servers, and as a bearer token to OpenAI-compatible APIs.",
  HEADER: "Sent in the header you name, e.g. X-Agent-Token: <value>.",
};

/** The API's credential input for a draft: null for none. The server validates the rest. */
export function credentialFromDraft(draft: CredentialDraft): CredentialInput | null {
  switch (draft.kind) {
    case "NONE":
      return null;
    case "HEADER":
      return { kind: "HEADER", headerName: draft.headerName.trim(), value: draft.value };
    default:
      return { kind: draft.kind, value: draft.value };
  }
}

const shortKind: Record<CredentialKind, string> = { BEARER: "Bearer", API_KEY: "API key", HEADER: "header" };

/** "Not set", "Set (Bearer)", "Set (header X-Token)" — whether a credential is stored, never its value. */
export function describeCredential(credential: AgentDetail["credential"]): string {
  if (!credential) return "Not set";
  if (credential.kind === "HEADER" && credential.headerName) return `Set (header ${credential.headerName})`;
  return `Set (${shortKind[credential.kind]})`;
}

/** How an edit treats the stored credential. */
export type CredentialChange = "keep" | "replace" | "remove";

/** The `credential` field of `agent.update`: left out to keep, null to remove, the new one to replace. */
export function credentialUpdate(change: CredentialChange, draft: CredentialDraft): CredentialInput | null | undefined {
  if (change === "keep") return undefined;
  if (change === "remove") return null;
  return credentialFromDraft(draft);
}

import { DomainError } from "@/server/errors/domain-error";
import type { AgentProtocol, Credential } from "./types";

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Headers that frame the request itself; a credential must not replace them.
const RESERVED = new Set(["host", "content-length", "content-type", "transfer-encoding", "connection", "upgrade", "te", "trailer", "keep-alive", "proxy-connection", "accept"]);

/** The headers that carry `credential` to an agent speaking `protocol` (empty when there is none). */
export function credentialHeaders(protocol: AgentProtocol, credential: Credential | null | undefined): Record<string, string> {
  if (!credential) return {};
  const value = credential.value;
  if (!value || /[\r\n\0]/.test(value)) {
    throw new DomainError("BAD_REQUEST", "The credential is empty or contains line breaks. Paste the key or token on its own.", { field: "credential" });
  }
  switch (credential.kind) {
    case "bearer":
      return { authorization: `Bearer ${value}` };
    case "api_key":
      return protocol === "OPENAI" ? { authorization: `Bearer ${value}` } : { "x-api-key": value };
    case "header": {
      const name = credential.headerName?.trim() ?? "";
      if (!TOKEN.test(name) || RESERVED.has(name.toLowerCase())) {
        throw new DomainError("BAD_REQUEST", `"${name.slice(0, 60)}" cannot carry a credential. Enter the header name the agent expects, such as X-API-Key.`, {
          field: "credential",
        });
      }
      return { [name.toLowerCase()]: value };
    }
  }
}

/** Header names that carry the credential: dropped if a redirect leaves the agent's origin. */
export function credentialHeaderNames(credential: Credential | null | undefined): string[] {
  return credential?.kind === "header" && credential.headerName ? [credential.headerName.trim().toLowerCase()] : [];
}

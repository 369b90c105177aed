/** What the discovery library learns about an agent, in the product's words. */
export type AgentProtocol = "A2A" | "MCP" | "OPENAI";

/**
 * How HelixAgent authenticates to an agent.
 * bearer → `Authorization: Bearer <v>`; header → `<headerName>: <v>`;
 * api_key → OpenAI: `Authorization: Bearer <v>`, A2A/MCP: `X-API-Key: <v>`.
 */
export interface Credential {
  kind: "bearer" | "api_key" | "header";
  headerName?: string | null;
  value: string;
}

export interface DiscoveredSkill {
  kind: "skill" | "tool" | "model";
  /** A2A skill id / MCP tool name / OpenAI model id. */
  key: string;
  name: string;
  description: string | null;
  tags: string[];
  inputModes: string[];
  outputModes: string[];
  /** MCP tools' JSON schema. */
  inputSchema: unknown | null;
  examples: string[];
}

export interface Discovery {
  protocol: AgentProtocol;
  /** Where traffic goes: A2A the card's JSON-RPC interface, MCP the endpoint, OpenAI the base URL (…/v1). */
  endpointUrl: string;
  /** The URL the document was read from. */
  sourceUrl: string;
  name: string | null;
  description: string | null;
  version: string | null;
  provider: string | null;
  protocolVersion: string | null;
  /** e.g. `{ streaming: true, pushNotifications: false }` / MCP server capabilities. */
  capabilities: Record<string, unknown>;
  skills: DiscoveredSkill[];
  /** The raw discovered document(s), JSON-serialisable, size-capped. */
  document: unknown;
}

export interface NetworkPolicy {
  allowPrivateNetworks: boolean;
}

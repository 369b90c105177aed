import type { AgentSummary, SkillView } from "@/server/agents/schema";

export type AgentProtocol = AgentSummary["protocol"];
export type AgentStatus = AgentSummary["status"];
export type SkillKind = SkillView["kind"];

export const AGENT_PROTOCOLS = ["A2A", "MCP", "OPENAI"] as const satisfies readonly AgentProtocol[];
export const AGENT_STATUSES = ["ACTIVE", "UNHEALTHY", "DISABLED"] as const satisfies readonly AgentStatus[];

/** Short names, as in badges and filters. */
export const protocolName: Record<AgentProtocol, string> = {
  A2A: "A2A",
  MCP: "MCP",
  OPENAI: "OpenAI-compatible",
};

/** What an agent of each protocol is, for help texts. */
export const protocolDescription: Record<AgentProtocol, string> = {
  A2A: "An A2A agent: its agent card lists its skills",
  MCP: "An MCP server: its tools are listed with tools/list",
  OPENAI: "An OpenAI-compatible API: its models are listed at /v1/models",
};

export const statusLabel: Record<AgentStatus, string> = {
  ACTIVE: "Active",
  UNHEALTHY: "Unhealthy",
  DISABLED: "Disabled",
};

export const statusDescription: Record<AgentStatus, string> = {
  ACTIVE: "Passing health checks and receiving traffic",
  UNHEALTHY: "Failing health checks; the gateway routes around it",
  DISABLED: "Turned off by a person; no health checks, no traffic",
};

export const skillKindLabel: Record<SkillKind, string> = { SKILL: "Skill", TOOL: "Tool", MODEL: "Model" };

const kindPlural: Record<SkillKind, string> = { SKILL: "skills", TOOL: "tools", MODEL: "models" };

/** "Skills", "Tools", "Skills and tools"… — what an agent's capabilities are called, by the kinds it has. */
export function capabilityTitle(kinds: readonly SkillKind[]): string {
  const present = (["SKILL", "TOOL", "MODEL"] as const).filter((k) => kinds.includes(k)).map((k) => kindPlural[k]);
  if (present.length === 0) return "Skills";
  const text = present.length === 1 ? present[0]! : `${present.slice(0, -1).join(", ")} and ${present.at(-1)}`;
  return text[0]!.toUpperCase() + text.slice(1);
}

/** The agents the target picker offers: the first 100 by name (the largest page `agent.list` gives). */
export const agentPickerInput = (orgSlug: string) => ({ orgSlug, pageSize: 100, sort: "name" as const, dir: "asc" as const });

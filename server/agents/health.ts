import type { AgentStatus } from "@/server/generated/prisma/enums";
import type { Db } from "@/server/db";
import { env } from "@/server/env";
import { probeHealth } from "./discovery";
import { unsafeAgentCredential } from "./service";

/** Probes in flight at once: enough to check hundreds of agents in a round, gentle on 2 cores. */
const CONCURRENCY = 16;
/** Probe history kept per agent. */
const RETENTION_MS = 3 * 24 * 3600_000;

export interface HealthTransition {
  agentId: string;
  orgId: string;
  from: AgentStatus;
  to: AgentStatus;
}

/**
 * One health round over every enabled agent (of one organization, or all): probe, record the probe,
 * and move ACTIVE → UNHEALTHY after `threshold` consecutive failures, UNHEALTHY → ACTIVE on the first
 * success. Returns the transitions it made (each also stored as an AgentStatusChange).
 */
export async function unsafeRunHealthRound(opts: { db: Db; orgId?: string; threshold?: number; timeoutMs?: number }): Promise<HealthTransition[]> {
  const { db } = opts;
  const threshold = opts.threshold ?? env().HELIX_HEALTH_FAILURE_THRESHOLD;
  const agents = await db.agent.findMany({
    where: { status: { not: "DISABLED" }, ...(opts.orgId ? { orgId: opts.orgId } : {}) },
    select: {
      id: true,
      orgId: true,
      protocol: true,
      endpointUrl: true,
      status: true,
      consecutiveFailures: true,
      credentialKind: true,
      credentialHeader: true,
      credentialCipher: true,
      org: { select: { allowPrivateNetworks: true } },
    },
  });
  const transitions: HealthTransition[] = [];
  const queue = [...agents];
  const worker = async () => {
    for (let agent = queue.shift(); agent; agent = queue.shift()) {
      const result = await probeHealth({
        protocol: agent.protocol,
        endpointUrl: agent.endpointUrl,
        credential: unsafeAgentCredential(agent),
        network: { allowPrivateNetworks: agent.org.allowPrivateNetworks },
        timeoutMs: opts.timeoutMs,
      });
      const failures = result.ok ? 0 : agent.consecutiveFailures + 1;
      let to: AgentStatus = agent.status;
      if (result.ok && agent.status === "UNHEALTHY") to = "ACTIVE";
      if (!result.ok && agent.status === "ACTIVE" && failures >= threshold) to = "UNHEALTHY";
      const now = new Date();
      await db.$transaction([
        db.agentHealthCheck.create({
          data: {
            orgId: agent.orgId,
            agentId: agent.id,
            at: now,
            ok: result.ok,
            latencyMs: Math.round(result.latencyMs),
            statusCode: result.statusCode,
            error: result.error?.slice(0, 500) ?? null,
          },
        }),
        // Conditional on the status read above: an agent disabled meanwhile stays disabled.
        db.agent.updateMany({
          where: { id: agent.id, status: agent.status },
          data: { status: to, consecutiveFailures: failures, lastCheckedAt: now, lastLatencyMs: result.ok ? Math.round(result.latencyMs) : null },
        }),
        ...(to !== agent.status
          ? [
              db.agentStatusChange.create({
                data: {
                  orgId: agent.orgId,
                  agentId: agent.id,
                  at: now,
                  from: agent.status,
                  to,
                  reason: result.ok ? "health probe succeeded" : `${failures} consecutive failed probes: ${result.error ?? "no answer"}`,
                },
              }),
            ]
          : []),
        db.agentHealthCheck.deleteMany({ where: { agentId: agent.id, at: { lt: new Date(now.getTime() - RETENTION_MS) } } }),
      ]);
      if (to !== agent.status) transitions.push({ agentId: agent.id, orgId: agent.orgId, from: agent.status, to });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, agents.length) }, worker));
  return transitions;
}

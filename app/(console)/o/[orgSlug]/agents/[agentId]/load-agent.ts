import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { getQueryClient, trpc } from "@/components/trpc/server";

/**
 * Reads the agent into this request's query client (so the page's HydrateClient hands it to the
 * browser) and answers 404 for an unknown, another organization's or a malformed id.
 */
export async function loadAgent(orgSlug: string, agentId: string) {
  try {
    return await getQueryClient().fetchQuery(trpc.agent.get.queryOptions({ orgSlug, agentId }));
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
}

/** The agent's name as the page title, or a plain title when it cannot be read (the page decides what to show). */
export async function agentTitle(orgSlug: string, agentId: string, suffix = "") {
  try {
    const agent = await getQueryClient().fetchQuery(trpc.agent.get.queryOptions({ orgSlug, agentId }));
    return `${agent.name}${suffix}`;
  } catch {
    return `Agent${suffix}`;
  }
}

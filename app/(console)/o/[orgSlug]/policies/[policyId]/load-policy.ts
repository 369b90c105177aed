import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { getQueryClient, trpc } from "@/components/trpc/server";

/**
 * Reads the policy into this request's query client (so the page's HydrateClient hands it to the
 * browser) and answers 404 for an unknown, another organization's or a malformed id.
 */
export async function loadPolicy(orgSlug: string, policyId: string) {
  try {
    return await getQueryClient().fetchQuery(trpc.policy.get.queryOptions({ orgSlug, policyId }));
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
}

/** The policy's name as the page title, or a plain title when it cannot be read (the page decides what to show). */
export async function policyTitle(orgSlug: string, policyId: string) {
  try {
    const policy = await getQueryClient().fetchQuery(trpc.policy.get.queryOptions({ orgSlug, policyId }));
    return policy.name;
  } catch {
    return "Policy";
  }
}

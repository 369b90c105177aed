import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { getQueryClient, trpc } from "@/components/trpc/server";

/**
 * Reads the route into this request's query client (so the page's HydrateClient hands it to the
 * browser) and answers 404 for an unknown, another organization's or a malformed id.
 */
export async function loadRoute(orgSlug: string, routeId: string) {
  try {
    return await getQueryClient().fetchQuery(trpc.route.get.queryOptions({ orgSlug, routeId }));
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
}

/** The route's name as the page title, or a plain title when it cannot be read (the page decides what to show). */
export async function routeTitle(orgSlug: string, routeId: string) {
  try {
    const route = await getQueryClient().fetchQuery(trpc.route.get.queryOptions({ orgSlug, routeId }));
    return route.name;
  } catch {
    return "Route";
  }
}

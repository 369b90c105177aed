import "server-only";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy, type TRPCQueryOptions } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, type ReactNode } from "react";
import { appRouter, createCaller } from "@/server/trpc/root";
import { createRequestContext } from "@/server/trpc/request-context";
import { makeQueryClient } from "./query-client";

/** One query client and one context per server request. */
export const getQueryClient = cache(makeQueryClient);
const getContext = cache(async () => createRequestContext(await headers()));

/**
 * For server components: `await prefetch(trpc.member.list.queryOptions({ orgSlug }))`. Awaiting
 * puts the data into the page's HTML and hydration state together; a prefetch still pending when
 * the page renders can finish between the server render and hydration and make them differ.
 */
export const trpc = createTRPCOptionsProxy({ ctx: getContext, router: appRouter, queryClient: getQueryClient });

/** Calls procedures directly from server components (no HTTP), through the same ladder. */
export const serverCaller = cache(async () => createCaller(await getContext()));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape tRPC's docs give for any procedure's options
export function prefetch<T extends ReturnType<TRPCQueryOptions<any>>>(queryOptions: T): Promise<void> {
  return getQueryClient().prefetchQuery(queryOptions);
}

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { HydrateClient, prefetch, serverCaller, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { AlertDetailView } from "./alert-detail-view";

export const metadata: Metadata = { title: "Alert" };

export default async function AlertPage({ params }: { params: Promise<{ orgSlug: string; alertId: string }> }) {
  const { orgSlug, alertId } = await params;
  const { org } = await loadOrgPage(orgSlug, `/alerts/${alertId}`);
  try {
    await (await serverCaller()).alert.get({ orgSlug, alertId });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
  await Promise.all([prefetch(trpc.alert.get.queryOptions({ orgSlug, alertId })), prefetch(trpc.alert.deliveries.queryOptions({ orgSlug, alertId }))]);
  return (
    <HydrateClient>
      <AlertDetailView orgSlug={orgSlug} alertId={alertId} role={org.role} />
    </HydrateClient>
  );
}

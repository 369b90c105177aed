import { createRequestContext } from "@/server/trpc/request-context";
import { exportResponse } from "@/server/privacy/export";

export const dynamic = "force-dynamic";

/** The export file of a completed data-subject export (admins of the organization; 404 for anyone else). */
export async function GET(req: Request, { params }: { params: Promise<{ orgSlug: string; requestId: string }> }) {
  const { orgSlug, requestId } = await params;
  return exportResponse({ ctx: await createRequestContext(req.headers), orgSlug, requestId });
}

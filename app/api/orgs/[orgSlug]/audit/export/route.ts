import { exportAuditLog } from "@/server/audit/export";
import { createRequestContext } from "@/server/trpc/request-context";

export const dynamic = "force-dynamic";

/** The organization's audit log as JSON Lines (ADMIN or above); format in the README's Audit log section. */
export async function GET(req: Request, { params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  return exportAuditLog({ ctx: await createRequestContext(req.headers), orgSlug });
}

import { TRPCError } from "@trpc/server";
import { createCaller } from "@/server/trpc/root";
import { createRequestContext } from "@/server/trpc/request-context";
import { toCsv } from "@/server/compliance/csv";
import { overviewCsvRows } from "@/server/compliance/export";

export const dynamic = "force-dynamic";

const notFound = () => new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

/**
 * The compliance overview as CSV, for members of the organization (any role). Through the same
 * procedure as the console, so the permission check is the ladder's: signed out, not a member or no
 * such organization all answer 404 and reveal nothing.
 */
export async function GET(request: Request, { params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const caller = createCaller(await createRequestContext(request.headers));
  let overview;
  try {
    overview = await caller.compliance.overview({ orgSlug });
  } catch (error) {
    if (error instanceof TRPCError && ["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST"].includes(error.code)) return notFound();
    throw error;
  }
  const day = new Date().toISOString().slice(0, 10);
  // A byte-order mark, so spreadsheets read the file as UTF-8 (names and quotes survive).
  const body = `\uFEFF${toCsv(overviewCsvRows(overview))}`;
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="compliance-${orgSlug}-${day}.csv"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

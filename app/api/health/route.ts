import { db } from "@/server/db";

export const dynamic = "force-dynamic";

/** Liveness plus a database round trip; the main command and the e2e harness wait on it. */
export async function GET() {
  try {
    await db().$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" });
  } catch {
    return Response.json({ status: "degraded", database: "unreachable" }, { status: 503 });
  }
}

/**
 * npx tsx server/audit/cli.ts seal [orgId]    seals every audit event not in its organization's hash chain yet
 * npx tsx server/audit/cli.ts verify <orgId>  verifies one organization's chain (exit 1 if broken)
 * Run `seal` once after upgrading a database whose audit log predates the chain (see README, Audit log).
 */
import { db } from "@/server/db";
import { chainUnchainedEvents, verifyAuditChain } from "./chain";

const USAGE = "usage: npx tsx server/audit/cli.ts seal [orgId] | verify <orgId>";

async function main(argv: string[]): Promise<number> {
  const [command, orgId] = argv;
  if (command === "seal") {
    const { sealed } = await chainUnchainedEvents({ db: db(), orgId });
    console.log(`Sealed ${sealed} audit event${sealed === 1 ? "" : "s"} into the hash chain.`);
    return 0;
  }
  if (command === "verify" && orgId) {
    const result = await verifyAuditChain({ db: db(), orgId });
    if (result.ok) console.log(`Chain intact: ${result.checked} events.`);
    else console.log(`Broken at event ${result.firstBroken?.id} (seq ${result.firstBroken?.seq ?? "none"}, ${result.firstBroken?.at.toISOString()}): ${result.firstBroken?.reason}`);
    return result.ok ? 0 : 1;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2))
  .then((code) => (process.exitCode = code))
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  })
  .finally(() => void db().$disconnect());

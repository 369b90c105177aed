/**
 * The demo organization's policies, so the Policies and Compliance pages show something real on the
 * first start: PII masking on the chat route, EU residency for EU-labelled traffic, and a monitored
 * export block. Created through the policy service (validated and audited), once.
 */
import type { OrgContext } from "@/server/trpc/init";
import { createPolicy } from "@/server/policies/service";
import { policyConfigInput, type PolicyConfigInput } from "@/server/policies/schema";

export async function ensureDemoPolicies(ctx: OrgContext): Promise<number> {
  if ((await ctx.db.policy.count({ where: { orgId: ctx.org.id } })) > 0) return 0;
  const chat = await ctx.db.route.findFirst({ where: { orgId: ctx.org.id, slug: "helix-chat" }, select: { id: true } });
  const policies: PolicyConfigInput[] = [
    {
      name: "EU data stays in the EU",
      description: "Requests labelled EU (by their route or the x-helix-data-labels header) only go to agents in EU regions.",
      effect: "RESTRICT_ROUTING",
      condition: `"EU" in request.labels`,
      params: { agentCondition: `agent.region.startsWith("eu-")` },
    },
    {
      name: "Watch for bulk exports",
      description: "Monitor only: records the requests an export ban would refuse before it is enforced.",
      mode: "MONITOR",
      effect: "DENY",
      condition: `"x-purpose" in request.headers && request.headers["x-purpose"] == "export"`,
      params: { message: "Bulk exports through the gateway are not allowed" },
    },
  ];
  if (chat) {
    policies.unshift({
      name: "Mask PII in chat",
      description: "Emails, phone numbers, cards, IBANs and SSNs are masked before the chat agents see them and in their answers.",
      scope: "ROUTE",
      scopeId: chat.id,
      effect: "REDACT",
      condition: "true",
      params: { kinds: ["EMAIL", "PHONE", "CARD", "IBAN", "SSN"], direction: "BOTH" },
    });
  }
  let created = 0;
  for (const config of policies) {
    try {
      await createPolicy({ ctx, config: policyConfigInput.parse(config) });
      created++;
    } catch (error) {
      console.warn(`Could not create the demo policy "${config.name}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return created;
}

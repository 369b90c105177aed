import { router, createCallerFactory } from "./init";
import { orgRouter } from "@/server/orgs/router";
import { memberRouter } from "@/server/members/router";
import { invitationRouter } from "@/server/invitations/router";
import { auditRouter } from "@/server/audit/router";
import { meRouter } from "@/server/users/router";
import { agentRouter } from "@/server/agents/router";
import { routeRouter } from "@/server/routes/router";
import { apiKeyRouter } from "@/server/api-keys/router";
import { alertRouter } from "@/server/alerts/router";
import { analyticsRouter } from "@/server/analytics/router";
import { dataSubjectRouter } from "@/server/privacy/router";
import { policyRouter } from "@/server/policies/router";
import { complianceRouter } from "@/server/compliance/router";
import { piiPatternRouter } from "@/server/policies/pii-patterns/router";
import { marketplaceRouter } from "@/server/marketplace/router";

export const appRouter = router({
  me: meRouter,
  org: orgRouter,
  member: memberRouter,
  invitation: invitationRouter,
  audit: auditRouter,
  agent: agentRouter,
  route: routeRouter,
  apiKey: apiKeyRouter,
  alert: alertRouter,
  analytics: analyticsRouter,
  dataSubject: dataSubjectRouter,
  policy: policyRouter,
  compliance: complianceRouter,
  piiPattern: piiPatternRouter,
  marketplace: marketplaceRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

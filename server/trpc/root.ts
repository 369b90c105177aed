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
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

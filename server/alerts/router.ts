import { z } from "zod";
import { orgProcedure, router } from "@/server/trpc/init";
import {
  alertDetail,
  alertIdInput,
  alertListInput,
  alertPage,
  createdWebhook,
  deliveryListInput,
  deliveryView,
  ruleConfigInput,
  ruleIdInput,
  ruleView,
  updateRuleInput,
  updateWebhookInput,
  webhookIdInput,
  webhookInput,
  webhookView,
} from "./schema";
import { ackAlert, createRule, deleteRule, getAlert, getRule, listAlerts, listRules, openAlertCount, resolveAlert, updateRule } from "./service";
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, updateWebhook } from "./webhooks";

const ruleRouter = router({
  list: orgProcedure("VIEWER")
    .output(z.array(ruleView))
    .query(({ ctx }) => listRules({ ctx })),

  get: orgProcedure("VIEWER")
    .input(ruleIdInput)
    .output(ruleView)
    .query(({ ctx, input }) => getRule({ ctx, ruleId: input.ruleId })),

  create: orgProcedure("ADMIN")
    .input(ruleConfigInput)
    .output(ruleView)
    .mutation(({ ctx, input }) => {
      const { orgSlug: _orgSlug, ...config } = input;
      return createRule({ ctx, config });
    }),

  update: orgProcedure("ADMIN")
    .input(updateRuleInput)
    .output(ruleView)
    .mutation(({ ctx, input }) => updateRule({ ctx, ruleId: input.ruleId, config: input.config })),

  delete: orgProcedure("ADMIN")
    .input(ruleIdInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => deleteRule({ ctx, ruleId: input.ruleId })),
});

const webhookRouter = router({
  list: orgProcedure("ADMIN")
    .output(z.array(webhookView))
    .query(({ ctx }) => listWebhooks({ ctx })),

  /** Returns the signing secret once; it is stored encrypted, for signing only. */
  create: orgProcedure("ADMIN")
    .input(webhookInput)
    .output(createdWebhook)
    .mutation(({ ctx, input }) => createWebhook({ ctx, name: input.name, url: input.url, enabled: input.enabled })),

  update: orgProcedure("ADMIN")
    .input(updateWebhookInput)
    .output(webhookView)
    .mutation(({ ctx, input }) => updateWebhook({ ctx, webhookId: input.webhookId, name: input.name, url: input.url, enabled: input.enabled })),

  delete: orgProcedure("ADMIN")
    .input(webhookIdInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => deleteWebhook({ ctx, webhookId: input.webhookId })),
});

export const alertRouter = router({
  rule: ruleRouter,
  webhook: webhookRouter,

  list: orgProcedure("VIEWER")
    .input(alertListInput)
    .output(alertPage)
    .query(({ ctx, input }) => listAlerts({ ctx, filter: input })),

  get: orgProcedure("VIEWER")
    .input(alertIdInput)
    .output(alertDetail)
    .query(({ ctx, input }) => getAlert({ ctx, alertId: input.alertId })),

  /** For the navigation badge. */
  openCount: orgProcedure("VIEWER")
    .output(z.object({ firing: z.number().int(), acked: z.number().int(), open: z.number().int() }))
    .query(({ ctx }) => openAlertCount({ ctx })),

  /** Editors and up: on-call engineers acknowledge and resolve; rules stay with admins. */
  ack: orgProcedure("EDITOR")
    .input(alertIdInput)
    .output(alertDetail)
    .mutation(({ ctx, input }) => ackAlert({ ctx, alertId: input.alertId })),

  resolve: orgProcedure("EDITOR")
    .input(alertIdInput)
    .output(alertDetail)
    .mutation(({ ctx, input }) => resolveAlert({ ctx, alertId: input.alertId })),

  deliveries: orgProcedure("VIEWER")
    .input(deliveryListInput)
    .output(z.array(deliveryView))
    .query(({ ctx, input }) => listDeliveries({ ctx, alertId: input.alertId, webhookId: input.webhookId, limit: input.limit })),
});

import { z } from "zod";
import { orgProcedure, router } from "@/server/trpc/init";
import { checkCondition } from "./cel";
import {
  conditionCheck,
  policyConfigInput,
  policyIdInput,
  policyVersionView,
  policyView,
  setPolicyEnabledInput,
  testPoliciesInput,
  testPoliciesResult,
  updatePolicyInput,
  validateConditionInput,
} from "./schema";
import { createPolicy, deletePolicy, getPolicy, listPolicies, listPolicyVersions, setPolicyEnabled, testPolicies, updatePolicy } from "./service";

export const policyRouter = router({
  list: orgProcedure("VIEWER")
    .output(z.array(policyView))
    .query(({ ctx }) => listPolicies({ ctx })),

  get: orgProcedure("VIEWER")
    .input(policyIdInput)
    .output(policyView)
    .query(({ ctx, input }) => getPolicy({ ctx, policyId: input.policyId })),

  versions: orgProcedure("VIEWER")
    .input(policyIdInput)
    .output(z.array(policyVersionView))
    .query(({ ctx, input }) => listPolicyVersions({ ctx, policyId: input.policyId })),

  /** Parses and type-checks a condition as the editor types it; the error points at the exact spot. */
  validateCondition: orgProcedure("VIEWER")
    .input(validateConditionInput)
    .output(conditionCheck)
    .query(({ input }) => {
      const result = checkCondition(input.condition, input.kind);
      return result.ok ? { ok: true, error: null } : { ok: false, error: result.error };
    }),

  /** Runs the gateway's decision code on a sample request, with the saved policies and/or a draft. */
  test: orgProcedure("VIEWER")
    .input(testPoliciesInput)
    .output(testPoliciesResult)
    .mutation(({ ctx, input }) => testPolicies({ ctx, input })),

  create: orgProcedure("ADMIN")
    .input(policyConfigInput)
    .output(policyView)
    .mutation(({ ctx, input }) => {
      const { orgSlug: _orgSlug, ...config } = input as typeof input & { orgSlug?: string };
      return createPolicy({ ctx, config });
    }),

  update: orgProcedure("ADMIN")
    .input(updatePolicyInput)
    .output(policyView)
    .mutation(({ ctx, input }) => updatePolicy({ ctx, policyId: input.policyId, expectedVersion: input.expectedVersion, config: input.config })),

  setEnabled: orgProcedure("ADMIN")
    .input(setPolicyEnabledInput)
    .output(policyView)
    .mutation(({ ctx, input }) => setPolicyEnabled({ ctx, ...input })),

  delete: orgProcedure("ADMIN")
    .input(policyIdInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => deletePolicy({ ctx, policyId: input.policyId })),
});

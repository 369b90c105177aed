import { z } from "zod";
import { orgProcedure, router } from "@/server/trpc/init";
import { apiKeyIdInput, apiKeyView, createApiKeyInput, createdApiKey } from "./schema";
import { createApiKey, listApiKeys, revokeApiKey } from "./service";

export const apiKeyRouter = router({
  list: orgProcedure("ADMIN")
    .output(z.array(apiKeyView))
    .query(({ ctx }) => listApiKeys({ ctx })),

  /** Returns the secret once; only its hash is kept. */
  create: orgProcedure("ADMIN")
    .input(createApiKeyInput)
    .output(createdApiKey)
    .mutation(({ ctx, input }) => createApiKey({ ctx, ...input })),

  revoke: orgProcedure("ADMIN")
    .input(apiKeyIdInput)
    .output(apiKeyView)
    .mutation(({ ctx, input }) => revokeApiKey({ ctx, apiKeyId: input.apiKeyId })),
});

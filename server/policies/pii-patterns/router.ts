import { z } from "zod";
import { orgProcedure, router } from "@/server/trpc/init";
import { piiPatternIdInput, piiPatternInput, piiPatternView, updatePiiPatternInput } from "./schema";
import { createPiiPattern, deletePiiPattern, listPiiPatterns, updatePiiPattern } from "./service";

export const piiPatternRouter = router({
  list: orgProcedure("VIEWER")
    .output(z.array(piiPatternView))
    .query(({ ctx }) => listPiiPatterns({ ctx })),

  create: orgProcedure("ADMIN")
    .input(piiPatternInput)
    .output(piiPatternView)
    .mutation(({ ctx, input }) => createPiiPattern({ ctx, input: { name: input.name, pattern: input.pattern, description: input.description } })),

  update: orgProcedure("ADMIN")
    .input(updatePiiPatternInput)
    .output(piiPatternView)
    .mutation(({ ctx, input }) =>
      updatePiiPattern({ ctx, patternId: input.patternId, input: { name: input.name, pattern: input.pattern, description: input.description } }),
    ),

  delete: orgProcedure("ADMIN")
    .input(piiPatternIdInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => deletePiiPattern({ ctx, patternId: input.patternId })),
});

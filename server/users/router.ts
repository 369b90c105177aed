import { z } from "zod";
import { authedProcedure, router } from "@/server/trpc/init";

export const meRouter = router({
  get: authedProcedure
    .output(z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }))
    .query(({ ctx }) => ctx.user),
});

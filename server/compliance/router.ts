import { z } from "zod";
import { orgProcedure, router } from "@/server/trpc/init";
import {
  complianceOverview,
  controlRefInput,
  createFrameworkInput,
  customFrameworkView,
  frameworkRefInput,
  runChecksResult,
  updateFrameworkInput,
  upsertControlInput,
} from "./schema";
import { createFramework, deleteControl, deleteFramework, getOverview, runChecks, updateFramework, upsertControl } from "./service";

export const complianceRouter = router({
  /** Built-in and custom frameworks with each control's status from the latest stored check results. */
  overview: orgProcedure("VIEWER")
    .output(complianceOverview)
    .query(({ ctx }) => getOverview({ ctx })),

  /** Runs every automated check now and stores the results (a scheduled job does the same every 15 minutes). */
  runChecks: orgProcedure("ADMIN")
    .output(runChecksResult)
    .mutation(({ ctx }) => runChecks({ ctx })),

  createFramework: orgProcedure("ADMIN")
    .input(createFrameworkInput)
    .output(customFrameworkView)
    .mutation(({ ctx, input }) => createFramework({ ctx, name: input.name, key: input.key, description: input.description })),

  updateFramework: orgProcedure("ADMIN")
    .input(updateFrameworkInput)
    .output(customFrameworkView)
    .mutation(({ ctx, input }) => updateFramework({ ctx, frameworkKey: input.frameworkKey, name: input.name, description: input.description })),

  deleteFramework: orgProcedure("ADMIN")
    .input(frameworkRefInput)
    .output(z.object({ key: z.string() }))
    .mutation(({ ctx, input }) => deleteFramework({ ctx, frameworkKey: input.frameworkKey })),

  /** Adds a control to a custom framework, or replaces the one with the same id. */
  upsertControl: orgProcedure("ADMIN")
    .input(upsertControlInput)
    .output(customFrameworkView)
    .mutation(({ ctx, input }) =>
      upsertControl({ ctx, frameworkKey: input.frameworkKey, code: input.code, title: input.title, description: input.description, checks: input.checks }),
    ),

  deleteControl: orgProcedure("ADMIN")
    .input(controlRefInput)
    .output(customFrameworkView)
    .mutation(({ ctx, input }) => deleteControl({ ctx, frameworkKey: input.frameworkKey, code: input.code })),
});

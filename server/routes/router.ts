import { z } from "zod";
import { orgProcedure, router } from "@/server/trpc/init";
import { routeConfigInput, routeDetail, routeIdInput, routeSummary, routeVersionView, setRouteEnabledInput, tryItInput, tryItResult, updateRouteInput } from "./schema";
import { createRoute, deleteRoute, getRoute, listRoutes, listRouteVersions, setRouteEnabled, updateRoute } from "./service";
import { tryRoute } from "./try-it";

export const routeRouter = router({
  list: orgProcedure("VIEWER")
    .output(z.array(routeSummary))
    .query(({ ctx }) => listRoutes({ ctx })),

  get: orgProcedure("VIEWER")
    .input(routeIdInput)
    .output(routeDetail)
    .query(({ ctx, input }) => getRoute({ ctx, routeId: input.routeId })),

  versions: orgProcedure("VIEWER")
    .input(routeIdInput)
    .output(z.array(routeVersionView))
    .query(({ ctx, input }) => listRouteVersions({ ctx, routeId: input.routeId })),

  create: orgProcedure("EDITOR")
    .input(routeConfigInput)
    .output(routeDetail)
    .mutation(({ ctx, input }) => {
      const { orgSlug: _orgSlug, ...config } = input;
      return createRoute({ ctx, config });
    }),

  update: orgProcedure("EDITOR")
    .input(updateRouteInput)
    .output(routeDetail)
    .mutation(({ ctx, input }) => updateRoute({ ctx, routeId: input.routeId, expectedVersion: input.expectedVersion, config: input.config })),

  setEnabled: orgProcedure("EDITOR")
    .input(setRouteEnabledInput)
    .output(routeDetail)
    .mutation(({ ctx, input }) => setRouteEnabled({ ctx, ...input })),

  /**
   * Sends one message through the gateway as the caller and reports how it was served. Editors and
   * up: it is real traffic to real agents (their cost, their rate limits), not a read.
   */
  tryIt: orgProcedure("EDITOR")
    .input(tryItInput)
    .output(tryItResult)
    .mutation(({ ctx, input }) => tryRoute({ ctx, routeId: input.routeId, message: input.message, system: input.system || undefined })),

  delete: orgProcedure("ADMIN")
    .input(routeIdInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => deleteRoute({ ctx, routeId: input.routeId })),
});

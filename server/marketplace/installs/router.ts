import { z } from "zod";
import { orgProcedure, router } from "@/server/trpc/init";
import { createInstallInput, installDetail, installIdInput, installView, previewUpgradeInput, updateInstallInput, upgradeInstallInput, upgradePreview } from "./schema";
import { createInstall, getInstall, listInstalls, previewUpgrade, uninstall, updateInstall, upgradeInstall } from "./service";

/** Listings installed into the organization: gateway plugins and policy packs. */
export const installRouter = router({
  list: orgProcedure("VIEWER")
    .output(z.array(installView))
    .query(({ ctx }) => listInstalls({ ctx })),

  get: orgProcedure("VIEWER")
    .input(installIdInput)
    .output(installDetail)
    .query(({ ctx, input }) => getInstall({ ctx, installId: input.installId })),

  create: orgProcedure("ADMIN")
    .input(createInstallInput)
    .output(installView)
    .mutation(({ ctx, input: { orgSlug: _orgSlug, ...input } }) => createInstall({ ctx, input })),

  /** What upgrading to a version would change: changelogs since the installed one, configuration fields, pack policies. */
  preview: orgProcedure("VIEWER")
    .input(previewUpgradeInput)
    .output(upgradePreview)
    .query(({ ctx, input }) => previewUpgrade({ ctx, installId: input.installId, version: input.version })),

  upgrade: orgProcedure("ADMIN")
    .input(upgradeInstallInput)
    .output(installView)
    .mutation(({ ctx, input: { orgSlug: _orgSlug, ...input } }) => upgradeInstall({ ctx, input })),

  /** Configuration, routes, fail mode, or the enabled switch. */
  update: orgProcedure("ADMIN")
    .input(updateInstallInput)
    .output(installView)
    .mutation(({ ctx, input: { orgSlug: _orgSlug, ...input } }) => updateInstall({ ctx, input })),

  uninstall: orgProcedure("ADMIN")
    .input(installIdInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) => uninstall({ ctx, installId: input.installId })),
});

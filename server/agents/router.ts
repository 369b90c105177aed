import { z } from "zod";
import { orgProcedure, router } from "@/server/trpc/init";
import {
  agentDetail,
  agentIdInput,
  agentPage,
  discoveryPreview,
  discoveryView,
  healthView,
  listAgentsInput,
  previewAgentInput,
  registerAgentInput,
  searchAgentsInput,
  searchHit,
  setAgentEnabledInput,
  updateAgentInput,
} from "./schema";
import { agentHealth, deleteAgent, getAgent, listDiscoveries, previewAgent, rediscoverAgent, registerAgent, setAgentEnabled, updateAgent } from "./service";
import { listAgents, searchAgents } from "./search";

export const agentRouter = router({
  list: orgProcedure("VIEWER")
    .input(listAgentsInput)
    .output(agentPage)
    .query(({ ctx, input }) => {
      const { q, sort, dir, page, pageSize, ...filters } = input;
      return listAgents({ db: ctx.db, orgId: ctx.org.id, q: q || undefined, filters, sort, dir, page, pageSize });
    }),

  /** "Which agents can do X?": ranked by skill, tool, tag, description and name. Routing reuses it. */
  search: orgProcedure("VIEWER")
    .input(searchAgentsInput)
    .output(z.array(searchHit))
    .query(async ({ ctx, input }) => {
      const { q, limit, ...filters } = input;
      return (await searchAgents({ db: ctx.db, orgId: ctx.org.id, q, filters, limit })).hits;
    }),

  get: orgProcedure("VIEWER")
    .input(agentIdInput)
    .output(agentDetail)
    .query(({ ctx, input }) => getAgent({ ctx, agentId: input.agentId })),

  discoveries: orgProcedure("VIEWER")
    .input(agentIdInput)
    .output(z.array(discoveryView))
    .query(({ ctx, input }) => listDiscoveries({ ctx, agentId: input.agentId })),

  health: orgProcedure("VIEWER")
    .input(agentIdInput)
    .output(healthView)
    .query(({ ctx, input }) => agentHealth({ ctx, agentId: input.agentId })),

  /** Reads what the agent at a URL says about itself; saves nothing. */
  preview: orgProcedure("EDITOR")
    .input(previewAgentInput)
    .output(discoveryPreview)
    .mutation(({ ctx, input }) => previewAgent({ ctx, ...input })),

  register: orgProcedure("EDITOR")
    .input(registerAgentInput)
    .output(agentDetail)
    .mutation(({ ctx, input }) => registerAgent({ ctx, ...input })),

  update: orgProcedure("EDITOR")
    .input(updateAgentInput)
    .output(agentDetail)
    .mutation(({ ctx, input }) => updateAgent({ ctx, ...input })),

  setEnabled: orgProcedure("EDITOR")
    .input(setAgentEnabledInput)
    .output(agentDetail)
    .mutation(({ ctx, input }) => setAgentEnabled({ ctx, ...input })),

  rediscover: orgProcedure("EDITOR")
    .input(agentIdInput)
    .output(z.object({ added: z.array(z.string()), removed: z.array(z.string()) }))
    .mutation(({ ctx, input }) => rediscoverAgent({ ctx, agentId: input.agentId })),

  delete: orgProcedure("ADMIN")
    .input(agentIdInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => deleteAgent({ ctx, agentId: input.agentId })),
});

import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import type { Fleet } from "@/fleet";
import { startControlServer, type ControlServer } from "@/fleet/control";
import { startTestFleet } from "@/fleet/testing";
import { generateSigningKeyPair, signVersion } from "@/server/marketplace/signing";
import { callerFor, createOrg, createUser, expectTRPCError, rand, type TestOrg, type TestUser } from "@/server/test/fixtures";
import type { Gateway } from "./server";
import { addFleetAgent, addKey, addRoute, eventually, startTestGateway, type TestAgent } from "./testing";

// Marketplace gateway plugins on live traffic: listings published with a real signature, installed
// through the API, called by a real gateway at their hook points. The plugin services are the demo
// fleet's (fleet/plugins.ts): a keyword blocker, a prompt prefixer, and one that fails on purpose.

let fleet: Fleet;
let control: ControlServer;
let gateway: Gateway;
let owner: TestUser;
let org: TestOrg;
let agent: TestAgent;
let key: { id: string; secret: string };
let client: OpenAI;
const signer = generateSigningKeyPair();
let publisherId: string;

/** A published gateway plugin listing with one signed version; returns its slug. */
async function publishPlugin(manifest: Record<string, unknown>, opts: { version?: string; tamper?: (m: Record<string, unknown>) => Record<string, unknown> } = {}) {
  const slug = `plugin-${rand(6)}`;
  const version = opts.version ?? "1.0.0";
  const signature = signVersion({ privateKey: signer.privateKey, listing: slug, version, manifest });
  await db().listing.create({
    data: {
      publisherId,
      kind: "GATEWAY_PLUGIN",
      slug,
      name: `Plugin ${slug}`,
      summary: "A plugin under test",
      latestVersion: version,
      publishedAt: new Date(),
      versions: {
        create: { version, major: 1, minor: 0, patch: 0, manifest: (opts.tamper ? opts.tamper(manifest) : manifest) as object, signature, keyId: signer.keyId },
      },
    },
  });
  return slug;
}

function pluginUrl(path: string) {
  return `${control.url}${path}`;
}

async function chat(model: string, content: string) {
  return client.chat.completions.create({ model, messages: [{ role: "user", content }] }).withResponse();
}

async function pluginCallsOf(traceId: string) {
  await gateway.telemetry!.flush();
  const [row] = await db().$queryRaw<{ p: unknown }[]>`
    SELECT plugin_calls AS p FROM telemetry.gateway_events WHERE org_id = ${org.id} AND kind = 'request' AND trace_id = ${traceId}`;
  return row?.p as { installId: string; hook: string; calls: number; totalMs: number; results: Record<string, number>; error?: string }[] | null;
}

beforeAll(async () => {
  fleet = await startTestFleet();
  control = await startControlServer(fleet);
  owner = await createUser();
  org = await createOrg({ owner });
  agent = await addFleetAgent(org, fleet, "atlas-chat", { slug: "atlas" });
  key = await addKey(org);
  const publisherOrg = await createOrg({ owner: await createUser() });
  publisherId = (
    await db().publisher.create({
      data: { orgId: publisherOrg.id, slug: `pub-${rand(6)}`, displayName: "Plugin Test Publisher", keys: { create: { keyId: signer.keyId, publicKey: signer.publicKey } } },
    })
  ).id;
  gateway = await startTestGateway();
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key.secret, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await control?.close();
  await fleet?.stop();
});

describe("gateway plugins on live traffic", () => {
  it("an installed keyword blocker refuses matching requests with its message, rewrites answers, and is gone once uninstalled", async () => {
    await addRoute(org, { alias: "blocker-test", targets: [{ agentId: agent.id, model: "atlas-small" }] });
    const slug = await publishPlugin({
      kind: "GATEWAY_PLUGIN",
      serviceUrl: pluginUrl("/plugins/keyword-blocker"),
      hooks: ["before_request", "after_response"],
      timeoutMs: 2000,
      configSchema: { type: "object", properties: { keywords: { type: "string" }, message: { type: "string" }, token: { type: "string", secret: true } }, required: ["keywords"] },
    });
    const caller = callerFor(owner);
    const install = await caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: slug, config: { keywords: "falcon, atlas-small", message: "Project names stay inside", token: "s3cret" } });
    expect(install.secretsSet).toEqual(["token"]);
    expect(JSON.stringify(install)).not.toContain("s3cret");
    const stored = await db().install.findUniqueOrThrow({ where: { id: install.id }, select: { secrets: true } });
    expect(JSON.stringify(stored.secrets)).not.toContain("s3cret");

    let traceId = "";
    await eventually(async () => {
      const refused = await chat("blocker-test", "tell me about Project FALCON").catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
      const error = refused as InstanceType<typeof OpenAI.PermissionDeniedError>;
      expect(error.code).toBe("plugin_denied");
      expect(error.message).toContain("Project names stay inside");
      traceId = error.headers?.get("x-helix-trace-id") ?? "";
    });
    const calls = await pluginCallsOf(traceId);
    expect(calls).toEqual([expect.objectContaining({ installId: install.id, hook: "before_request", calls: 1, results: { deny: 1 } })]);

    // Allowed requests go through; the answer ("atlas-small: You said: …") is rewritten after the response.
    const { data, response } = await chat("blocker-test", "hello there");
    expect(data.choices[0]?.message.content).toBe("[blocked]: You said: hello there");
    expect(await pluginCallsOf(response.headers.get("x-helix-trace-id")!)).toEqual([
      expect.objectContaining({ installId: install.id, hook: "before_request", results: { allow: 1 } }),
      expect.objectContaining({ installId: install.id, hook: "after_response", results: { rewrite: 1 } }),
    ]);

    await caller.marketplace.install.uninstall({ orgSlug: org.slug, installId: install.id });
    await eventually(async () => {
      const { data: after } = await chat("blocker-test", "tell me about project falcon");
      expect(after.choices[0]?.message.content).toBe("atlas-small: You said: tell me about project falcon");
    });
    expect(await db().install.count({ where: { id: install.id } })).toBe(0);
  });

  it("a before_request rewrite and a stream_chunk rewrite, only on the route they are installed on", async () => {
    const route = await addRoute(org, { alias: "rewrite-test", targets: [{ agentId: agent.id, model: "atlas-small" }] });
    const prefix = await publishPlugin({ kind: "GATEWAY_PLUGIN", serviceUrl: pluginUrl("/plugins/prompt-prefix"), hooks: ["before_request"], configSchema: { type: "object", properties: { prefix: { type: "string" } } } });
    const blocker = await publishPlugin({ kind: "GATEWAY_PLUGIN", serviceUrl: pluginUrl("/plugins/keyword-blocker"), hooks: ["stream_chunk"], configSchema: { type: "object", properties: { keywords: { type: "string" } } } });
    const caller = callerFor(owner);
    const prefixed = await caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: prefix, config: { prefix: "Answer briefly." }, routeIds: [route.id] });
    const chunked = await caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: blocker, config: { keywords: "secret" }, routeIds: [route.id] });
    await eventually(async () => {
      const { data: stream, response } = await client.chat.completions.create({ model: "rewrite-test", messages: [{ role: "user", content: "the secret plan" }], stream: true }).withResponse();
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      // atlas-chat echoes the last user message (the prefix is a system message before it); the
      // chunk hook rewrote "secret" in the stream.
      expect(text).toBe("atlas-small: You said: the [blocked] plan");
      const calls = await pluginCallsOf(response.headers.get("x-helix-trace-id")!);
      expect(calls).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ installId: prefixed.id, hook: "before_request", calls: 1, results: { rewrite: 1 } }),
          expect.objectContaining({ installId: chunked.id, hook: "stream_chunk", results: expect.objectContaining({ rewrite: 1 }) }),
        ]),
      );
    });
    // Only on that route: another route of the organization is untouched.
    await addRoute(org, { alias: "untouched", targets: [{ agentId: agent.id, model: "atlas-small" }] });
    await eventually(async () => {
      const { data } = await chat("untouched", "the secret plan");
      expect(data.choices[0]?.message.content).toContain("secret plan");
    });
  });

  it("a failing plugin service: fail-open lets requests through, fail-closed refuses them with a clear error", async () => {
    const openRoute = await addRoute(org, { alias: "fail-open", targets: [{ agentId: agent.id, model: "atlas-small" }] });
    const closedRoute = await addRoute(org, { alias: "fail-closed", targets: [{ agentId: agent.id, model: "atlas-small" }] });
    const caller = callerFor(owner);
    const modes = ["hang", "error", "garbage", "invalid"] as const;
    for (const mode of modes) {
      const slug = await publishPlugin({ kind: "GATEWAY_PLUGIN", serviceUrl: pluginUrl(`/plugins/faulty?mode=${mode}`), hooks: ["before_request"], timeoutMs: 150 });
      const open = await caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: slug, routeIds: [openRoute.id], failMode: "open" });
      await eventually(async () => {
        const { data, response } = await chat("fail-open", `hello ${mode}`);
        expect(data.choices[0]?.message.content).toContain(`You said: hello ${mode}`);
        const calls = await pluginCallsOf(response.headers.get("x-helix-trace-id")!);
        const mine = calls?.find((c) => c.installId === open.id);
        expect(mine?.results).toEqual({ [mode === "hang" ? "timeout" : mode === "error" ? "error" : "invalid"]: 1 });
      });
      // The same service, installed fail-closed on the other route.
      await caller.marketplace.install.update({ orgSlug: org.slug, installId: open.id, routeIds: [closedRoute.id], failMode: "closed" });
      await eventually(async () => {
        const refused = await chat("fail-closed", "hello").catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(OpenAI.APIError);
        const error = refused as InstanceType<typeof OpenAI.APIError>;
        expect(error.status).toBe(502);
        expect(error.code).toBe("plugin_failed");
        expect(error.message).toContain("fail closed");
      });
      await caller.marketplace.install.uninstall({ orgSlug: org.slug, installId: open.id });
    }
    // With every faulty install gone, both routes serve again.
    await eventually(async () => {
      const { data } = await chat("fail-closed", "hello again");
      expect(data.choices[0]?.message.content).toContain("hello again");
    });
  }, 30_000);

  it("applies to A2A clients too: a before_request refusal is a 403 with the plugin's message", async () => {
    const route = await addRoute(org, { alias: "a2a-plugin", targets: [{ agentId: agent.id, model: "atlas-small" }] });
    const slug = await publishPlugin({ kind: "GATEWAY_PLUGIN", serviceUrl: pluginUrl("/plugins/keyword-blocker"), hooks: ["before_request"], configSchema: { type: "object", properties: { keywords: { type: "string" }, message: { type: "string" } } } });
    await callerFor(owner).marketplace.install.create({ orgSlug: org.slug, listingSlug: slug, config: { keywords: "heron", message: "No birds over A2A" }, routeIds: [route.id] });
    const send = (text: string) =>
      fetch(`${gateway.url}/a2a/${org.slug}/${route.slug}/`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key.secret}` },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "message/send", params: { message: { kind: "message", role: "user", messageId: "m1", parts: [{ kind: "text", text }] } } }),
      });
    await eventually(async () => {
      const res = await send("a grey heron");
      expect(res.status).toBe(403);
      expect(JSON.stringify(await res.json())).toContain("No birds over A2A");
    });
    const ok = await send("a grey wagtail");
    expect(ok.status).toBe(200);
    expect(JSON.stringify(await ok.json())).toContain("You said: a grey wagtail");
  });

  it("refuses to install a tampered manifest, a yanked version, or a second install of the same listing", async () => {
    const caller = callerFor(owner);
    const tampered = await publishPlugin(
      { kind: "GATEWAY_PLUGIN", serviceUrl: pluginUrl("/plugins/keyword-blocker"), hooks: ["before_request"] },
      { tamper: (m) => ({ ...m, serviceUrl: "http://attacker.example/hook" }) },
    );
    await expectTRPCError(caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: tampered }), "BAD_REQUEST", "does not verify");
    expect(await db().install.count({ where: { orgId: org.id, listing: { slug: tampered } } })).toBe(0);

    const slug = await publishPlugin({ kind: "GATEWAY_PLUGIN", serviceUrl: pluginUrl("/plugins/keyword-blocker"), hooks: ["before_request"] });
    await db().listingVersion.updateMany({ where: { listing: { slug } }, data: { yankedAt: new Date(), yankReason: "broken" } });
    await expectTRPCError(caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: slug, version: "1.0.0" }), "BAD_REQUEST", "yanked");
    await db().listingVersion.updateMany({ where: { listing: { slug } }, data: { yankedAt: null } });

    await caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: slug, config: {} });
    await expectTRPCError(caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: slug }), "CONFLICT", "already installed");
    // A service on a cloud metadata address is never called, whatever the organization allows.
    const metadata = await publishPlugin({ kind: "GATEWAY_PLUGIN", serviceUrl: "http://169.254.169.254/latest/hook", hooks: ["before_request"] });
    await expectTRPCError(caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: metadata }), "BAD_REQUEST", "169.254.169.254");
    expect(await db().install.count({ where: { orgId: org.id, listing: { slug: metadata } } })).toBe(0);
    // A configuration the schema refuses names the field, and nothing is installed.
    const configured = await publishPlugin({
      kind: "GATEWAY_PLUGIN",
      serviceUrl: pluginUrl("/plugins/keyword-blocker"),
      hooks: ["before_request"],
      configSchema: { type: "object", properties: { keywords: { type: "string", title: "Blocked keywords" } }, required: ["keywords"] },
    });
    await expectTRPCError(caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: configured, config: {} }), "BAD_REQUEST", "keywords");
    expect(await db().install.count({ where: { orgId: org.id, listing: { slug: configured } } })).toBe(0);
  });
});

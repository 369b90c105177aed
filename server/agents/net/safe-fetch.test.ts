import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscoveryError } from "../discovery/errors";
import { createSafeFetch, parseAgentUrl, safeFetch } from "./safe-fetch";
import { sendJson, startTestServer, type TestServer } from "./test-server";

const open = { allowPrivateNetworks: true };
const closed = { allowPrivateNetworks: false };

async function failure(p: Promise<unknown>): Promise<DiscoveryError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DiscoveryError);
  return e as DiscoveryError;
}

describe("safeFetch against loopback servers", () => {
  let server: TestServer;
  let other: TestServer;

  beforeAll(async () => {
    other = await startTestServer((req, res) => sendJson(res, 200, { auth: req.headers.authorization ?? null, key: req.headers["x-api-key"] ?? null }));
    server = await startTestServer(async (req, res) => {
      const path = req.url ?? "/";
      if (path === "/json") return sendJson(res, 200, { hello: "world" });
      if (path === "/echo") return sendJson(res, 200, { method: req.method, body: req.body, auth: req.headers.authorization ?? null });
      if (path === "/html") {
        res.writeHead(200, { "content-type": "text/html" });
        return res.end("<!doctype html><html><body>Sign in</body></html>");
      }
      if (path === "/big-declared") {
        res.writeHead(200, { "content-type": "application/json", "content-length": String(2 * 1024 * 1024) });
        return res.end(Buffer.alloc(2 * 1024 * 1024, 0x20));
      }
      if (path === "/big-chunked") {
        res.writeHead(200, { "content-type": "application/json" });
        for (let i = 0; i < 40; i++) res.write(Buffer.alloc(64 * 1024, 0x20));
        return res.end();
      }
      if (path === "/hang") return; // never answers
      if (path === "/slow-body") {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("[");
        return; // headers arrive, the body never ends
      }
      if (path.startsWith("/redirect/")) {
        const to = decodeURIComponent(path.slice("/redirect/".length));
        res.writeHead(302, { location: to });
        return res.end();
      }
      if (path.startsWith("/post-redirect/")) {
        res.writeHead(Number(path.slice("/post-redirect/".length)), { location: "/echo" });
        return res.end();
      }
      if (path.startsWith("/loop/")) {
        const n = Number(path.slice("/loop/".length));
        res.writeHead(302, { location: `/loop/${n + 1}` });
        return res.end();
      }
      sendJson(res, 404, { error: "not found" });
    });
  });
  afterAll(async () => {
    await server.close();
    await other.close();
  });

  it("reads JSON from a loopback agent when private networks are allowed", async () => {
    const res = await safeFetch(`${server.url}/json`, { network: open });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: "world" });
  });

  it("reaches loopback through a host name too", async () => {
    const res = await safeFetch(`http://localhost:${server.port}/json`, { network: open });
    expect(await res.json()).toEqual({ hello: "world" });
  });

  it("refuses loopback before connecting when private networks are not allowed", async () => {
    const before = server.requests.length;
    const e = await failure(safeFetch(`${server.url}/json`, { network: closed }));
    expect(e.code).toBe("blocked_address");
    expect(e.kind).toBe("BAD_REQUEST");
    expect(e.message).toContain("127.0.0.1 is a loopback network address");
    expect(e.message).toContain("allow private networks");
    const e2 = await failure(safeFetch(`http://localhost:${server.port}/json`, { network: closed }));
    expect(e2.message).toContain("localhost resolves to 127.0.0.1");
    expect(server.requests.length).toBe(before);
  });

  it("always refuses the cloud metadata address, even with private networks allowed", async () => {
    const e = await failure(safeFetch("http://169.254.169.254/latest/meta-data/", { network: open }));
    expect(e.code).toBe("blocked_address");
    expect(e.message).toContain("169.254.169.254 is a link-local (cloud metadata) address");
    expect((await failure(safeFetch("http://[fd00:ec2::254]/", { network: open }))).code).toBe("blocked_address");
    expect((await failure(safeFetch("http://[::ffff:169.254.169.254]/", { network: open }))).code).toBe("blocked_address");
    expect((await failure(safeFetch("http://0.0.0.0:1/", { network: open }))).code).toBe("blocked_address");
  });

  it("refuses a redirect to 169.254.169.254", async () => {
    const e = await failure(safeFetch(`${server.url}/redirect/${encodeURIComponent("http://169.254.169.254/latest/meta-data/")}`, { network: open }));
    expect(e.code).toBe("blocked_address");
    expect(e.message).toContain("169.254.169.254");
  });

  it("refuses a redirect to a non-http scheme", async () => {
    const e = await failure(safeFetch(`${server.url}/redirect/${encodeURIComponent("file:///etc/passwd")}`, { network: open }));
    expect(e.code).toBe("invalid_url");
    expect(e.message).toContain("redirected to an address HelixAgent will not follow");
  });

  it("follows up to 3 redirects and no more", async () => {
    const ok = await safeFetch(`${server.url}/redirect/${encodeURIComponent("/redirect/%2Fredirect%2F%252Fjson")}`, { network: open });
    expect(ok.redirected).toBe(true);
    expect(ok.url).toBe(`${server.url}/json`);
    expect(await ok.json()).toEqual({ hello: "world" });

    const e = await failure(safeFetch(`${server.url}/loop/0`, { network: open }));
    expect(e.code).toBe("http_error");
    expect(e.message).toContain("redirected more than 3 times");
  });

  it("keeps credentials within the origin across redirects", async () => {
    const headers = { authorization: "Bearer secret", "x-api-key": "k", "x-custom": "c" };
    const res = await safeFetch(`${server.url}/redirect/${encodeURIComponent(`${other.url}/`)}`, { network: open, headers });
    expect(await res.json()).toEqual({ auth: null, key: null });
    const same = await safeFetch(`${server.url}/redirect/%2Fecho`, { network: open, headers });
    expect(await same.json()).toMatchObject({ auth: "Bearer secret" });
  });

  it("turns a POST into a GET on 303, keeps it on 307", async () => {
    const r303 = await safeFetch(`${server.url}/post-redirect/303`, { network: open, method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(await r303.json()).toMatchObject({ method: "GET", body: "" });
    const r307 = await safeFetch(`${server.url}/post-redirect/307`, { network: open, method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(await r307.json()).toMatchObject({ method: "POST", body: "{}" });
  });

  it("fails with too_large when the declared length is over the cap", async () => {
    const e = await failure(safeFetch(`${server.url}/big-declared`, { network: open }));
    expect(e.code).toBe("too_large");
    expect(e.message).toContain("larger than 1 MiB");
  });

  it("fails with too_large while streaming an undeclared body past the cap", async () => {
    const res = await safeFetch(`${server.url}/big-chunked`, { network: open });
    const e = await failure(res.text());
    expect(e.code).toBe("too_large");
    const small = await safeFetch(`${server.url}/big-chunked`, { network: open, maxBytes: 3 * 1024 * 1024 });
    expect((await small.bytes()).byteLength).toBe(40 * 64 * 1024);
  });

  it("times out a server that never answers", async () => {
    const started = Date.now();
    const e = await failure(safeFetch(`${server.url}/hang`, { network: open, timeoutMs: 300 }));
    expect(e.code).toBe("timeout");
    expect(e.message).toBe(`${server.url} did not answer within 0.3 s. Is the agent running and not overloaded, and does no firewall silently drop the connection?`);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("times out a body that never ends: the deadline covers the body too", async () => {
    const res = await safeFetch(`${server.url}/slow-body`, { network: open, timeoutMs: 300 });
    expect(res.status).toBe(200);
    expect((await failure(res.json())).code).toBe("timeout");
  });

  it("says not_json for an HTML page", async () => {
    const res = await safeFetch(`${server.url}/html`, { network: open });
    const e = await failure(res.json());
    expect(e.code).toBe("not_json");
    expect(e.message).toContain(`${server.url}/html answered with an HTML page instead of JSON`);
  });

  it("says unreachable for a refused connection", async () => {
    const gone = await startTestServer(() => undefined);
    await gone.close();
    const e = await failure(safeFetch(`${gone.url}/`, { network: open }));
    expect(e.code).toBe("unreachable");
    expect(e.message).toBe(`Could not reach ${gone.url}: connection refused. Is the agent running and reachable from the HelixAgent server?`);
  });

  it("says dns for a name that does not exist", async () => {
    const e = await failure(safeFetch("http://no-such-agent.invalid/", { network: open }));
    expect(e.code).toBe("dns");
    expect(e.message).toContain("no-such-agent.invalid");
  });

  it("reports the error through onError, including ones raised while the body streams", async () => {
    const seen: string[] = [];
    const res = await safeFetch(`${server.url}/big-chunked`, { network: open, onError: (e) => seen.push(e.code) });
    await res.text().catch(() => undefined);
    await safeFetch(`${server.url}/hang`, { network: open, timeoutMs: 100, onError: (e) => seen.push(e.code) }).catch(() => undefined);
    expect(seen).toEqual(["too_large", "timeout"]);
  });

  it("rejects with the caller's abort reason, not a DiscoveryError", async () => {
    const controller = new AbortController();
    const pending = safeFetch(`${server.url}/hang`, { network: open, signal: controller.signal });
    const reason = new Error("closed by caller");
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it("gives SDKs a standard fetch that leaves redirects to them when asked", async () => {
    const fetchLike = createSafeFetch({ network: open });
    const res = await fetchLike(`${server.url}/redirect/%2Fjson`, { redirect: "manual" });
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/json");
    const followed = await fetchLike(`${server.url}/echo`, { method: "POST", body: "hi", headers: new Headers({ authorization: "Bearer t" }) });
    expect(await followed.json()).toEqual({ method: "POST", body: "hi", auth: "Bearer t" });
    await expect(createSafeFetch({ network: closed })(`${server.url}/json`)).rejects.toMatchObject({ code: "blocked_address" });
  });
});

describe("parseAgentUrl", () => {
  it.each([
    ["not a url", "is not a valid URL"],
    ["ftp://agent.example.com/", "Only http:// and https:// URLs can be used"],
    ["https://user:pass@agent.example.com/", "Remove the user name and password"],
    ["javascript:alert(1)", "Only http:// and https:// URLs can be used"],
  ])("refuses %s", (input, message) => {
    expect(() => parseAgentUrl(input)).toThrow(message);
    try {
      parseAgentUrl(input);
    } catch (e) {
      expect((e as DiscoveryError).code).toBe("invalid_url");
    }
  });

  it("normalises what WHATWG normalises and drops the fragment", () => {
    expect(parseAgentUrl("http://0x7f.1:8080/a#frag").href).toBe("http://127.0.0.1:8080/a");
  });
});

describe("safeFetch and TLS", () => {
  let plain: TestServer;
  let selfSigned: { url: string; close: () => Promise<void> } | null = null;

  beforeAll(async () => {
    plain = await startTestServer((_req, res) => sendJson(res, 200, {}));
    // A self-signed certificate, made on the spot (skipped where openssl is missing).
    const { execFileSync } = await import("node:child_process");
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { createServer } = await import("node:https");
    try {
      const dir = mkdtempSync(join(tmpdir(), "helix-tls-"));
      execFileSync(
        "openssl",
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")],
        { stdio: "ignore" },
      );
      const server = createServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }, (_req, res) => sendJson(res, 200, {}));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as import("node:net").AddressInfo;
      selfSigned = { url: `https://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
    } catch {
      selfSigned = null;
    }
  });
  afterAll(async () => {
    await plain.close();
    await selfSigned?.close();
  });

  it("says tls when https meets a plain-http port", async () => {
    const e = await failure(safeFetch(plain.url.replace("http:", "https:"), { network: open }));
    expect(e.code).toBe("tls");
    expect(e.message).toContain("does not speak TLS on this port");
  });

  it("says tls for a certificate nobody vouches for", async (ctx) => {
    if (!selfSigned) return ctx.skip();
    const e = await failure(safeFetch(`${selfSigned.url}/`, { network: open }));
    expect(e.code).toBe("tls");
    expect(e.message).toContain(`The secure connection to ${selfSigned.url} failed (self-signed certificate)`);
  });
});

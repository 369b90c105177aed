import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { safeFetch } from "./safe-fetch";
import { sendJson, startTestServer, type TestServer } from "./test-server";

// A resolver under the test's control: "*.test" names answer what `answers` says, call by call,
// the way a hostile DNS server would answer a rebinding attack.
const dns = vi.hoisted(() => ({ answers: [] as { address: string; family: number }[][], calls: [] as string[] }));
vi.mock("node:dns/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:dns/promises")>();
  const lookup = async (host: string, options: object) => {
    if (!host.endsWith(".test")) return real.lookup(host, options as { all: true });
    dns.calls.push(host);
    return dns.answers.shift() ?? [];
  };
  return { ...real, default: { ...real, lookup }, lookup };
});

describe("safeFetch pins the connection to the vetted address", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer((req, res) => sendJson(res, 200, { host: req.headers.host }));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    dns.answers = [];
    dns.calls = [];
  });

  it("connects to the address it checked, without asking DNS again", async () => {
    // A second lookup would get the metadata address; the connection must never see it.
    dns.answers = [[{ address: "127.0.0.1", family: 4 }], [{ address: "169.254.169.254", family: 4 }]];
    const res = await safeFetch(`http://agent.rebind.test:${server.port}/`, { network: { allowPrivateNetworks: true } });
    expect(await res.json()).toEqual({ host: `agent.rebind.test:${server.port}` });
    expect(dns.calls).toEqual(["agent.rebind.test"]);
  });

  it("refuses when any of the addresses is blocked", async () => {
    dns.answers = [[{ address: "8.8.8.8", family: 4 }, { address: "10.0.0.1", family: 4 }]];
    await expect(safeFetch("http://mixed.test/", { network: { allowPrivateNetworks: false } })).rejects.toMatchObject({
      code: "blocked_address",
      message: expect.stringContaining("mixed.test resolves to 10.0.0.1"),
    });
    dns.answers = [[{ address: "127.0.0.1", family: 4 }, { address: "fe80::1", family: 6 }]];
    await expect(safeFetch("http://linklocal.test/", { network: { allowPrivateNetworks: true } })).rejects.toMatchObject({ code: "blocked_address" });
  });

  it("says dns when the name resolves to nothing", async () => {
    dns.answers = [[]];
    await expect(safeFetch("http://empty.test/", { network: { allowPrivateNetworks: true } })).rejects.toMatchObject({ code: "dns" });
  });
});

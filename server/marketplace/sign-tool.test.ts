import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CliError, formatSigned, loadPrivateKey, parseArgs, signManifest } from "./sign-tool";
import { checkSignature, generateSigningKeyPair } from "./signing";

const manifest = { kind: "GATEWAY_PLUGIN", serviceUrl: "https://plugins.example.com/hook", hooks: ["before_request"] };
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof CliError) return error.problems;
    throw error;
  }
  throw new Error("expected a CliError");
};

describe("marketplace:sign arguments", () => {
  it("reads the sign and generate forms", () => {
    expect(parseArgs(["--key", "k.pem", "--listing", "my-plugin", "--version=1.2.0", "m.json"])).toEqual({ mode: "sign", keyFile: "k.pem", listing: "my-plugin", version: "1.2.0", manifestFile: "m.json", json: false });
    expect(parseArgs(["m.json", "--json", "--listing", "x", "--key", "k", "--version", "1.0.0"])).toMatchObject({ mode: "sign", json: true, manifestFile: "m.json" });
    expect(parseArgs(["--generate-key", "out.pem"])).toEqual({ mode: "generate", out: "out.pem" });
    expect(parseArgs(["--key", "k", "-h"])).toEqual({ mode: "help" });
  });

  it("says everything that is missing or wrong at once", () => {
    expect(problemsOf(() => parseArgs(["--listing", "x", "--bogus", "a.json", "b.json"]))).toEqual([
      "unknown option --bogus",
      "--key is missing",
      "--version is missing",
      "one manifest at a time; got a.json, b.json",
    ]);
    expect(problemsOf(() => parseArgs(["--key", "--listing", "x"]))).toContain("--key needs a value");
    expect(problemsOf(() => parseArgs(["--generate-key", "k.pem", "--listing", "x"]))).toEqual(["--generate-key makes a key pair and signs nothing: leave out --listing"]);
  });
});

describe("signing a manifest", () => {
  const pair = generateSigningKeyPair();
  const key = loadPrivateKey(pair.privateKey);

  it("derives the key id the marketplace registers from the private key", () => {
    expect(key).toMatchObject({ keyId: pair.keyId, publicKey: pair.publicKey });
  });

  it("signs what the marketplace verifies: the manifest as written, the listing and the version", () => {
    const signed = signManifest({ key, listing: "my-plugin", version: "1.2.0", manifestText: JSON.stringify(manifest, null, 2) });
    expect(signed).toMatchObject({ listing: "my-plugin", version: "1.2.0", kind: "GATEWAY_PLUGIN", keyId: pair.keyId, manifest });
    const check = checkSignature({
      signature: signed.signature,
      keyId: signed.keyId,
      listing: "my-plugin",
      version: "1.2.0",
      manifest,
      publisherName: "Me",
      publisherKeys: [{ keyId: pair.keyId, publicKey: pair.publicKey }],
      keyOwnedElsewhere: false,
    });
    expect(check).toEqual({ ok: true, keyId: pair.keyId });
    expect(formatSigned(signed, false)).toContain(`keyId:     ${pair.keyId}\nsignature: ${signed.signature}\n`);
    expect(JSON.parse(formatSigned(signed, true))).toEqual({ listing: "my-plugin", version: "1.2.0", manifest, signature: signed.signature, signingKeyId: pair.keyId });
  });

  it("refuses to sign an invalid manifest, listing or version, naming each problem", () => {
    const bad = { kind: "GATEWAY_PLUGIN", serviceUrl: "ftp://files.example.com", hooks: [], timeout: 5 };
    const problems = problemsOf(() => signManifest({ key, listing: "My_Plugin", version: "v1.0", manifestText: JSON.stringify(bad), source: "m.json" }));
    expect(problems).toEqual([
      expect.stringMatching(/^--listing "My_Plugin": A slug uses lowercase/),
      expect.stringMatching(/^--version "v1.0" is not a semantic version/),
      "manifest.serviceUrl: A plugin service URL is http:// or https://",
      "manifest.hooks: Name at least one hook point",
      'manifest: Unknown field "timeout" in a gateway plugin manifest',
    ]);
    expect(problemsOf(() => signManifest({ key, listing: "x-y", version: "1.0.0", manifestText: "{ nope", source: "m.json" }))[0]).toMatch(/^m\.json is not valid JSON/);
    expect(problemsOf(() => signManifest({ key, listing: "x-y", version: "1.0.0", manifestText: "[1]", source: "m.json" }))).toEqual([expect.stringMatching(/^m\.json must hold a JSON object with a "kind"/)]);
  });

  it("explains keys it cannot sign with", () => {
    expect(problemsOf(() => loadPrivateKey("hello", "k.pem"))).toEqual([expect.stringContaining("k.pem is not a private key in PEM format")]);
    const publicPem = generateKeyPairSync("ed25519").publicKey.export({ format: "pem", type: "spki" }).toString();
    expect(problemsOf(() => loadPrivateKey(publicPem, "pub.pem"))).toEqual([expect.stringContaining("pub.pem holds a public key")]);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(problemsOf(() => loadPrivateKey(rsa, "rsa.pem"))).toEqual([expect.stringContaining("rsa.pem holds a key of type rsa; the marketplace takes ed25519 keys only")]);
  });
});

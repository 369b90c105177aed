import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { listingSlugSchema } from "./schema";
import { canonicalJson, listingKindLabel, manifestSchema, MAX_MANIFEST_BYTES, type ListingKind } from "./manifest";
import { keyFingerprint, signVersion, verifyVersion } from "./signing";
import { parseVersion } from "./versions";

/*
 * The core of `npm run marketplace:sign` (server/marketplace/cli.ts): argument parsing, and signing
 * a manifest the way the marketplace checks it, with every problem found before anything is signed.
 * No file or network access here, so it can be tested as is.
 */

export const USAGE = [
  "usage: npm run marketplace:sign -- --key private.pem --listing <listing-slug> --version <semver> [--json] manifest.json",
  "       npm run marketplace:sign -- --generate-key private.pem",
].join("\n");

/** Wrong arguments or input: the CLI prints the problems and exits with code 2. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    readonly problems: string[],
    /** Whether the usage should follow the problems (the arguments were wrong). */
    readonly showUsage = false,
  ) {
    super(problems.join("\n"));
  }
}

export type CliArgs =
  | { mode: "help" }
  | { mode: "generate"; out: string }
  | { mode: "sign"; keyFile: string; listing: string; version: string; manifestFile: string; json: boolean };

export function parseArgs(argv: readonly string[]): CliArgs {
  const values: Record<"key" | "listing" | "version" | "generate-key", string | undefined> = { key: undefined, listing: undefined, version: undefined, "generate-key": undefined };
  const files: string[] = [];
  const problems: string[] = [];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return { mode: "help" };
    if (arg === "--json") {
      json = true;
      continue;
    }
    // --name value or --name=value
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const name = flag.slice(2);
    if (flag.startsWith("--") && name in values) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === "" || (inline === undefined && value.startsWith("--"))) problems.push(`${flag} needs a value`);
      else values[name as keyof typeof values] = value;
    } else if (flag.startsWith("-") && flag !== "-") problems.push(`unknown option ${flag}`);
    else files.push(arg);
  }
  if (values["generate-key"] !== undefined) {
    const others = (["key", "listing", "version"] as const).filter((k) => values[k] !== undefined).map((k) => `--${k}`);
    if (others.length || files.length) problems.push(`--generate-key makes a key pair and signs nothing: leave out ${[...others, ...files].join(", ")}`);
    if (problems.length) throw new CliError(problems, true);
    return { mode: "generate", out: values["generate-key"] };
  }
  for (const k of ["key", "listing", "version"] as const) if (values[k] === undefined && !problems.some((p) => p.startsWith(`--${k} `))) problems.push(`--${k} is missing`);
  if (files.length === 0) problems.push("name the manifest file (JSON) to sign");
  if (files.length > 1) problems.push(`one manifest at a time; got ${files.join(", ")}`);
  if (problems.length) throw new CliError(problems, true);
  return { mode: "sign", keyFile: values.key!, listing: values.listing!, version: values.version!, manifestFile: files[0]!, json };
}

export interface LoadedKey {
  /** The private key as given (PEM), for signing. */
  pem: string;
  /** Raw public key, base64: what is registered with the publisher. */
  publicKey: string;
  keyId: string;
}

/** Reads an ed25519 private key (PKCS#8 PEM, as --generate-key or `openssl genpkey -algorithm ed25519` write it). */
export function loadPrivateKey(pem: string, source = "the key file"): LoadedKey {
  const text = pem.trim();
  if (/-----BEGIN PUBLIC KEY-----/.test(text)) {
    throw new CliError([`${source} holds a public key; sign with the private key (the file --generate-key wrote, "BEGIN PRIVATE KEY")`]);
  }
  if (/ENCRYPTED/.test(text)) {
    throw new CliError([`${source} is encrypted; decrypt it first, e.g. openssl pkey -in ${source} -out plain.pem`]);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: "pem" });
  } catch {
    throw new CliError([`${source} is not a private key in PEM format: give the file --generate-key wrote, or one made with openssl genpkey -algorithm ed25519`]);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new CliError([`${source} holds a key of type ${key.asymmetricKeyType ?? "unknown"}; the marketplace takes ed25519 keys only (make one with --generate-key)`]);
  }
  const raw = Buffer.from(createPublicKey(key).export({ format: "der", type: "spki" }).subarray(-32));
  return { pem: text, publicKey: raw.toString("base64"), keyId: keyFingerprint(raw) };
}

/** JSON.parse's complaint, with the line and column of the position it names. */
function jsonProblem(text: string, error: Error, source: string): string {
  const at = /position (\d+)/.exec(error.message);
  if (!at) return `${source} is not valid JSON: ${error.message}`;
  const before = text.slice(0, Number(at[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${source} is not valid JSON (line ${line}, column ${column}): ${error.message.replace(/ in JSON at position \d+.*$/, "")}`;
}

export interface SignedManifest {
  listing: string;
  version: string;
  kind: ListingKind;
  /** The manifest exactly as signed: publish this object, unchanged. */
  manifest: Record<string, unknown>;
  signature: string;
  keyId: string;
  publicKey: string;
}

/**
 * Checks the listing slug, the version and the manifest (every problem, each with the field it is
 * about), then signs the canonical JSON of { listing, manifest, version } and checks the signature.
 */
export function signManifest(opts: { key: LoadedKey; listing: string; version: string; manifestText: string; source?: string }): SignedManifest {
  const source = opts.source ?? "the manifest";
  const problems: string[] = [];

  const listing = listingSlugSchema.safeParse(opts.listing);
  if (!listing.success) problems.push(`--listing ${JSON.stringify(opts.listing)}: ${listing.error.issues[0]?.message}`);
  const version = parseVersion(opts.version);
  if (!version) problems.push(`--version ${JSON.stringify(opts.version)} is not a semantic version: write MAJOR.MINOR.PATCH, e.g. 1.4.0 or 2.0.0-beta.1 (no "v", no build metadata)`);

  let manifest: unknown;
  try {
    manifest = JSON.parse(opts.manifestText);
  } catch (error) {
    problems.push(jsonProblem(opts.manifestText, error as Error, source));
    throw new CliError(problems);
  }
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
    problems.push(`${source} must hold a JSON object with a "kind" (${Object.keys(listingKindLabel).join(", ")})`);
    throw new CliError(problems);
  }
  const size = Buffer.byteLength(canonicalJson(manifest), "utf8");
  if (size > MAX_MANIFEST_BYTES) problems.push(`${source} is ${Math.ceil(size / 1024)} KB; the most a manifest may have is ${MAX_MANIFEST_BYTES / 1024} KB`);
  const parsed = manifestSchema.safeParse(manifest);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${["manifest", ...issue.path.map(String)].join(".")}: ${issue.message}`);
  }
  if (problems.length || !parsed.success || !version || !listing.success) throw new CliError(problems);

  const signature = signVersion({ privateKey: opts.key.pem, listing: listing.data, version: version.version, manifest });
  // What the marketplace will do with it: a signature that does not verify here never would there.
  if (!verifyVersion({ publicKey: opts.key.publicKey, signature, listing: listing.data, version: version.version, manifest })) {
    throw new CliError(["the signature made does not verify with the key's own public key; the key file may be damaged"]);
  }
  return {
    listing: listing.data,
    version: version.version,
    kind: parsed.data.kind,
    manifest: manifest as Record<string, unknown>,
    signature,
    keyId: opts.key.keyId,
    publicKey: opts.key.publicKey,
  };
}

/** What the CLI prints after signing: the key id and signature, or (--json) the fields of a publish call. */
export function formatSigned(signed: SignedManifest, json: boolean): string {
  if (json) {
    return `${JSON.stringify({ listing: signed.listing, version: signed.version, manifest: signed.manifest, signature: signed.signature, signingKeyId: signed.keyId }, null, 2)}\n`;
  }
  return [
    `Signed ${signed.listing} ${signed.version} (${listingKindLabel[signed.kind].toLowerCase()}).`,
    `keyId:     ${signed.keyId}`,
    `signature: ${signed.signature}`,
    "",
    "Publish the manifest unchanged with this signature and key id; the key must be registered to the listing's publisher.",
    "",
  ].join("\n");
}

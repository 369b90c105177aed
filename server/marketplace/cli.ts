/**
 * npm run marketplace:sign -- --key private.pem --listing <slug> --version <semver> [--json] manifest.json
 *   Validates the manifest as the marketplace will, signs { listing, manifest, version } with the
 *   ed25519 private key, and prints the key id and the base64 signature (--json: the publish fields).
 * npm run marketplace:sign -- --generate-key private.pem
 *   Writes a new private key (mode 600, never over an existing file) and prints the public key to
 *   register with the publisher (console: Publisher → Signing keys → Add key).
 * Problems go to stderr, each on its own line; exit code 2 for bad input, 1 for anything else.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateSigningKeyPair } from "./signing";
import { CliError, formatSigned, loadPrivateKey, parseArgs, signManifest, USAGE } from "./sign-tool";

/** Relative paths are from where `npm run` was typed (npm itself runs scripts from the project root). */
const resolve = (file: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), file);

function read(file: string, what: string): string {
  try {
    return readFileSync(resolve(file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError([`cannot read the ${what} ${file}: ${code === "ENOENT" ? "no such file" : (code ?? (error as Error).message)}`]);
  }
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (args.mode === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.mode === "generate") {
    const pair = generateSigningKeyPair();
    try {
      writeFileSync(resolve(args.out), pair.privateKey, { flag: "wx", mode: 0o600 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError([code === "EEXIST" ? `${args.out} already exists; choose another file name (an existing key is never overwritten)` : `cannot write ${args.out}: ${code ?? (error as Error).message}`]);
    }
    process.stdout.write(
      [
        `Wrote the private key to ${args.out}. Keep it secret; anyone holding it can sign versions as your publisher.`,
        `keyId:      ${pair.keyId}`,
        `public key: ${pair.publicKey}`,
        "",
        "Register the public key with your publisher (console: Publisher → Signing keys → Add key) before signing with it.",
        "",
      ].join("\n"),
    );
    return;
  }
  const key = loadPrivateKey(read(args.keyFile, "key file"), args.keyFile);
  const signed = signManifest({ key, listing: args.listing, version: args.version, manifestText: read(args.manifestFile, "manifest"), source: args.manifestFile });
  process.stdout.write(formatSigned(signed, args.json));
}

try {
  main();
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`${error.problems.map((p) => `marketplace:sign: ${p}`).join("\n")}\n${error.showUsage ? `${USAGE}\n` : ""}`);
    process.exit(2);
  }
  process.stderr.write(`marketplace:sign: unexpected error: ${(error as Error).message}\n`);
  process.exit(1);
}

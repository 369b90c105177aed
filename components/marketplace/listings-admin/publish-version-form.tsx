"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Copy, FileKey, KeyRound, Loader2, ShieldCheck, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { canonicalJson, listingKindLabel } from "@/server/marketplace/manifest";
import type { OwnListingDetail, PublisherView } from "@/server/marketplace/schema";
import { importSigningKey, signInBrowser, type BrowserSigningKey } from "./browser-signing";
import { checkManifestDraft, initialManifestText, versionProblem } from "./publish-model";

const FIELDS = ["version", "changelog", "manifest", "signature", "signingKeyId"] as const;
type Field = (typeof FIELDS)[number] | "privateKey";
type SigningMode = "browser" | "paste";
type DerivedKey = { state: "none" } | { state: "ok"; key: BrowserSigningKey } | { state: "error"; message: string };

/**
 * Publishes a signed version. The manifest is checked as it is typed with the server's own schema;
 * the signature is made here with WebCrypto (the private key stays in this page's memory, is never
 * sent and is forgotten after publishing) or pasted from elsewhere, such as the CLI.
 */
export function PublishVersionForm({ orgSlug, listing, publisher }: { orgSlug: string; listing: OwnListingDetail; publisher: PublisherView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const published = useMemo(() => listing.versions.map((v) => v.version), [listing.versions]);
  const last = published[0] ?? null;

  const [version, setVersion] = useState("");
  const [changelog, setChangelog] = useState("");
  const [manifestText, setManifestText] = useState(() => initialManifestText(listing.kind, listing.latestManifest));
  const [manifestTouched, setManifestTouched] = useState(false);
  const [mode, setMode] = useState<SigningMode>("browser");
  const [privateKey, setPrivateKey] = useState("");
  const [derived, setDerived] = useState<DerivedKey>({ state: "none" });
  const [keyId, setKeyId] = useState(() => publisher.keys.find((k) => !k.revokedAt)?.keyId ?? "");
  const [signature, setSignature] = useState("");
  const [localErrors, setLocalErrors] = useState<Partial<Record<Field, string>>>({});
  const [signing, setSigning] = useState(false);
  const keyFileRef = useRef<HTMLInputElement>(null);

  const deferredManifest = useDeferredValue(manifestText);
  const manifestCheck = useMemo(() => checkManifestDraft(deferredManifest, listing.kind), [deferredManifest, listing.kind]);

  // Derives the public key and its fingerprint as soon as a private key is pasted or picked.
  useEffect(() => {
    if (!privateKey.trim()) return;
    let cancelled = false;
    importSigningKey(privateKey).then(
      (key) => !cancelled && setDerived({ state: "ok", key }),
      (error: unknown) => !cancelled && setDerived({ state: "error", message: (error as Error).message }),
    );
    return () => {
      cancelled = true;
    };
  }, [privateKey]);
  const derivedKey = privateKey.trim() ? derived : ({ state: "none" } as const);

  const publish = useMutation(
    trpc.marketplace.version.publish.mutationOptions({
      onSuccess: async (created) => {
        toast.success(`${listing.name} ${created.version} published`, { description: "It is on the marketplace page now." });
        setVersion("");
        setChangelog("");
        setSignature("");
        // The private key is forgotten once it has done its job.
        setPrivateKey("");
        setDerived({ state: "none" });
        setLocalErrors({});
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.marketplace.listing.own.queryKey({ orgSlug, listingSlug: listing.slug }) }),
          queryClient.invalidateQueries(trpc.marketplace.listing.mine.pathFilter()),
        ]);
      },
    }),
  );

  const server = placeErrors(publish.error, FIELDS, "form");
  // In the browser mode the key and signature are made here: their errors belong to the key field.
  const keyError = mode === "browser" ? (localErrors.privateKey ?? [server.signingKeyId, server.signature].filter(Boolean).join(" ")) || undefined : undefined;
  const errors = { ...server, ...localErrors };
  const manifestIssues = manifestTouched && !manifestCheck.ok ? manifestCheck.issues.map((i) => `${i.path}: ${i.message}`) : server.manifest ? [server.manifest] : undefined;
  const busy = publish.isPending || signing;

  const registered = derivedKey.state === "ok" ? publisher.keys.find((k) => k.keyId === derivedKey.key.keyId) : undefined;
  const vProblem = versionProblem(version, published);
  const payload = manifestCheck.ok && !vProblem ? canonicalJson({ listing: listing.slug, manifest: manifestCheck.manifest, version: version.trim() }) : null;

  async function submit() {
    const problems: Partial<Record<Field, string>> = {};
    const vp = versionProblem(version, published);
    if (vp) problems.version = vp;
    const check = checkManifestDraft(manifestText, listing.kind);
    setManifestTouched(true);
    if (!check.ok) problems.manifest = `The manifest has ${check.issues.length === 1 ? "a problem" : `${check.issues.length} problems`}`;
    if (mode === "browser") {
      if (derivedKey.state === "none") problems.privateKey = "Paste or pick your private key (PKCS#8 PEM) to sign with";
      else if (derivedKey.state === "error") problems.privateKey = derivedKey.message;
      else if (!registered) problems.privateKey = `This key (${derivedKey.key.keyId}) is not registered to ${publisher.displayName}: add its public key on the publisher page first, or use one of its keys`;
      else if (registered.revokedAt) problems.privateKey = `This key (${registered.keyId}) was revoked; sign with a key that is not`;
    } else {
      if (!keyId.trim()) problems.signingKeyId = "Name the key that signed, e.g. ed25519:…";
      if (!signature.trim()) problems.signature = "Paste the base64 signature";
    }
    setLocalErrors(problems);
    if (Object.keys(problems).length || !check.ok) return;

    const v = version.trim();
    let signed = { signature: signature.trim(), signingKeyId: keyId.trim() };
    if (mode === "browser" && derivedKey.state === "ok") {
      setSigning(true);
      try {
        signed = { signature: await signInBrowser(derivedKey.key, { listing: listing.slug, version: v, manifest: check.manifest }), signingKeyId: derivedKey.key.keyId };
      } catch (error) {
        setLocalErrors({ privateKey: `Signing failed: ${(error as Error).message}` });
        return;
      } finally {
        setSigning(false);
      }
    }
    publish.mutate({ orgSlug, listingId: listing.id, version: v, changelog, manifest: check.manifest, ...signed });
  }

  return (
    <form
      noValidate
      aria-label={`Publish a version of ${listing.name}`}
      aria-busy={busy || undefined}
      className="grid gap-5"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {errors.form && (
        <Alert variant="destructive">
          <AlertTitle>Not published</AlertTitle>
          <AlertDescription>{errors.form}</AlertDescription>
        </Alert>
      )}
      <div className="grid gap-5 sm:grid-cols-[12rem_minmax(0,1fr)] sm:items-start">
        <FormField
          label="Version"
          required
          error={errors.version}
          description={last ? `Semantic version above ${last}.` : "Semantic version, e.g. 1.0.0."}
        >
          <Input
            name="version"
            value={version}
            onChange={(e) => {
              setVersion(e.target.value);
              setLocalErrors(({ version: _v, ...rest }) => rest);
            }}
            placeholder={last ? undefined : "1.0.0"}
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            disabled={busy}
          />
        </FormField>
        <FormField label="Changelog" error={errors.changelog} description="What changed, for those who install or upgrade.">
          <Textarea name="changelog" value={changelog} onChange={(e) => setChangelog(e.target.value)} maxLength={20_000} rows={3} disabled={busy} />
        </FormField>
      </div>

      <FormField
        label="Manifest (JSON)"
        required
        error={manifestIssues ?? (errors.manifest ? [errors.manifest] : undefined)}
        description={
          <>
            What this version installs, for a {listingKindLabel[listing.kind].toLowerCase()} ({listing.kind}).{" "}
            {listing.latestManifest ? `It starts from ${last}'s manifest.` : "It starts from a template to fill in."} It is checked as you type with the marketplace&apos;s own rules, and signed
            exactly as written (defaults are filled in at install).
          </>
        }
      >
        <Textarea
          name="manifest"
          value={manifestText}
          onChange={(e) => {
            setManifestText(e.target.value);
            setLocalErrors(({ manifest: _m, ...rest }) => rest);
          }}
          onBlur={() => setManifestTouched(true)}
          rows={12}
          spellCheck={false}
          autoComplete="off"
          className="min-h-48 font-mono text-xs"
          disabled={busy}
        />
      </FormField>
      {manifestCheck.ok && (
        <p className="-mt-3 flex items-center gap-1.5 text-sm text-muted-foreground" data-testid="manifest-valid">
          <CheckCircle2 aria-hidden="true" className="size-4 text-emerald-600" />
          A valid {listingKindLabel[listing.kind].toLowerCase()} manifest.
        </p>
      )}

      <fieldset className="grid gap-4 rounded-lg border p-4" disabled={busy}>
        <legend className="px-1 text-sm font-medium">Signature</legend>
        <div className="grid gap-2 sm:grid-cols-2" role="radiogroup" aria-label="How to sign">
          <ModeChoice name={`${id}-mode`} checked={mode === "browser"} onChange={() => setMode("browser")} title="Sign here, in this browser" icon={<ShieldCheck aria-hidden="true" className="size-4" />}>
            With your ed25519 private key. It never leaves this browser.
          </ModeChoice>
          <ModeChoice name={`${id}-mode`} checked={mode === "paste"} onChange={() => setMode("paste")} title="Paste a signature made elsewhere" icon={<KeyRound aria-hidden="true" className="size-4" />}>
            With the CLI (npm run marketplace:sign) or any ed25519 tool.
          </ModeChoice>
        </div>

        {mode === "browser" ? (
          <div className="grid gap-3">
            <FormField
              label="Private key (PKCS#8 PEM)"
              error={keyError}
              description="Paste the whole “BEGIN PRIVATE KEY” block, or pick the .pem file. It is used by your browser's WebCrypto to sign and is never sent to HelixAgent or stored; the page forgets it after publishing."
            >
              <Textarea
                name="privateKey"
                value={privateKey}
                onChange={(e) => {
                  setPrivateKey(e.target.value);
                  setLocalErrors(({ privateKey: _k, ...rest }) => rest);
                }}
                rows={4}
                spellCheck={false}
                autoComplete="off"
                autoCorrect="off"
                autoCapitalize="off"
                data-1p-ignore
                placeholder={"-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----"}
                className="font-mono text-xs"
              />
            </FormField>
            <div className="flex flex-wrap items-center gap-3">
              <input
                ref={keyFileRef}
                type="file"
                accept=".pem,.key,.txt,application/x-pem-file"
                className="sr-only"
                tabIndex={-1}
                aria-hidden="true"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  e.target.value = "";
                  if (file) setPrivateKey(await file.text());
                }}
              />
              <Button type="button" variant="outline" size="sm" onClick={() => keyFileRef.current?.click()}>
                <FileKey aria-hidden="true" />
                Pick a key file
              </Button>
              <KeyStatus derived={derivedKey} registered={registered} publisherName={publisher.displayName} publisherHref={`/o/${orgSlug}/publisher`} />
            </div>
          </div>
        ) : (
          <div className="grid gap-4">
            <FormField
              label="Signing key id"
              error={errors.signingKeyId}
              description={
                publisher.keys.length ? (
                  <>The fingerprint of the key that signed. {publisher.displayName}&apos;s keys are suggested.</>
                ) : (
                  <>{publisher.displayName} has no keys yet: register one on the publisher page.</>
                )
              }
            >
              <Input name="signingKeyId" value={keyId} onChange={(e) => setKeyId(e.target.value)} list={`${id}-keys`} placeholder="ed25519:…" autoComplete="off" spellCheck={false} className="font-mono text-xs" />
            </FormField>
            <datalist id={`${id}-keys`}>
              {publisher.keys
                .filter((k) => !k.revokedAt)
                .map((k) => (
                  <option key={k.keyId} value={k.keyId}>
                    {k.label ?? k.keyId}
                  </option>
                ))}
            </datalist>
            <FormField label="Signature (base64)" error={errors.signature} description="The 64-byte ed25519 signature in base64 (88 characters).">
              <Textarea name="signature" value={signature} onChange={(e) => setSignature(e.target.value)} rows={2} spellCheck={false} autoComplete="off" className="font-mono text-xs" />
            </FormField>
            <PayloadToSign payload={payload} />
          </div>
        )}
      </fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={busy}>
          {busy && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
          {signing ? "Signing…" : publish.isPending ? "Publishing…" : mode === "browser" ? "Sign and publish" : "Publish"}
        </Button>
        <span className="text-sm text-muted-foreground">
          {last ? "Organizations that installed an earlier version see the upgrade." : "Publishing the first version makes the listing public."}
        </span>
      </div>
    </form>
  );
}

function ModeChoice({ name, checked, onChange, title, icon, children }: { name: string; checked: boolean; onChange: () => void; title: string; icon: ReactNode; children: ReactNode }) {
  return (
    <label className="flex cursor-pointer items-start gap-3 rounded-md border p-3 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/5">
      <input type="radio" name={name} checked={checked} onChange={onChange} className="mt-0.5 size-4 accent-primary" />
      <span className="grid gap-0.5">
        <span className="flex items-center gap-1.5 font-medium">
          {icon}
          {title}
        </span>
        <span className="text-muted-foreground">{children}</span>
      </span>
    </label>
  );
}

function KeyStatus({ derived, registered, publisherName, publisherHref }: { derived: DerivedKey; registered: PublisherView["keys"][number] | undefined; publisherName: string; publisherHref: string }) {
  if (derived.state !== "ok") return null;
  const { keyId } = derived.key;
  if (!registered) {
    return (
      <p className="flex items-center gap-1.5 text-sm text-amber-700 dark:text-amber-400" data-testid="signing-key-status">
        <TriangleAlert aria-hidden="true" className="size-4 shrink-0" />
        <span>
          Key <span className="font-mono text-xs">{keyId}</span> is not registered to {publisherName}.{" "}
          <Link href={publisherHref} className="underline underline-offset-4">
            Register its public key
          </Link>{" "}
          first.
        </span>
      </p>
    );
  }
  if (registered.revokedAt) {
    return (
      <p className="flex items-center gap-1.5 text-sm text-destructive" data-testid="signing-key-status">
        <TriangleAlert aria-hidden="true" className="size-4 shrink-0" />
        <span>
          Key <span className="font-mono text-xs">{keyId}</span> was revoked.
        </span>
      </p>
    );
  }
  return (
    <p className="flex items-center gap-1.5 text-sm text-muted-foreground" data-testid="signing-key-status">
      <CheckCircle2 aria-hidden="true" className="size-4 shrink-0 text-emerald-600" />
      <span>
        Signs as <span className="font-mono text-xs">{keyId}</span>
        {registered.label ? ` (${registered.label})` : ""}, a key of {publisherName}.
      </span>
    </p>
  );
}

/** The exact bytes to sign elsewhere: the canonical JSON of { listing, manifest, version }, UTF-8, no trailing newline. */
function PayloadToSign({ payload }: { payload: string | null }) {
  return (
    <details className="rounded-md border p-3 text-sm">
      <summary className="cursor-pointer font-medium">What to sign</summary>
      <div className="mt-2 grid gap-2">
        <p className="text-muted-foreground">
          Sign these exact bytes (UTF-8, no trailing newline) with the publisher&apos;s ed25519 key, e.g. with <code className="font-mono text-xs">npm run marketplace:sign</code>: the
          canonical JSON of the listing&apos;s slug, the manifest and the version, keys sorted, no spaces.
        </p>
        {payload ? (
          <>
            <pre className="max-h-48 overflow-auto rounded bg-muted p-2 font-mono text-xs break-all whitespace-pre-wrap" data-testid="payload-to-sign">
              {payload}
            </pre>
            <div>
              <Button
                type="button"
                variant="outline"
                size="sm"
                onClick={() =>
                  navigator.clipboard.writeText(payload).then(
                    () => toast.success("Copied the bytes to sign"),
                    () => toast.error("Could not copy; select the text instead"),
                  )
                }
              >
                <Copy aria-hidden="true" />
                Copy
              </Button>
            </div>
          </>
        ) : (
          <p className="text-muted-foreground">Fill in a valid version and manifest first.</p>
        )}
      </div>
    </details>
  );
}

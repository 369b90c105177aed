"use client";

import { useId } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { credentialChoiceLabel, credentialHelp, type CredentialChoice, type CredentialDraft } from "./credential";

const CHOICES: CredentialChoice[] = ["NONE", "BEARER", "API_KEY", "HEADER"];

interface Props {
  draft: CredentialDraft;
  onChange: (draft: CredentialDraft) => void;
  /** The server's message about the credential, shown under the fields. */
  error?: string;
  /** Leave out "None" (when replacing a stored credential, a kind must be chosen). */
  requireKind?: boolean;
  disabled?: boolean;
}

/**
 * Credential kind, header name (for a custom header) and the secret. The secret is a password
 * field: it is sent once and stored encrypted; the console never shows it again.
 */
export function CredentialFields({ draft, onChange, error, requireKind = false, disabled }: Props) {
  const id = useId();
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const describedBy = [helpId, error ? errorId : null].filter(Boolean).join(" ");
  const invalid = error ? true : undefined;
  const choices = requireKind ? CHOICES.filter((c) => c !== "NONE") : CHOICES;

  return (
    <div className="grid gap-3">
      <div className="grid gap-3 sm:grid-cols-[12rem_1fr]">
        <div className="grid gap-2">
          <Label htmlFor={`${id}-kind`}>Credential type</Label>
          <NativeSelect
            id={`${id}-kind`}
            value={draft.kind}
            disabled={disabled}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => onChange({ ...draft, kind: e.target.value as CredentialChoice })}
          >
            {choices.map((c) => (
              <option key={c} value={c}>
                {credentialChoiceLabel[c]}
              </option>
            ))}
          </NativeSelect>
        </div>
        {draft.kind === "HEADER" && (
          <div className="grid gap-2">
            <Label htmlFor={`${id}-header`}>Header name</Label>
            <Input
              id={`${id}-header`}
              value={draft.headerName}
              disabled={disabled}
              required
              maxLength={64}
              autoComplete="off"
              spellCheck={false}
              placeholder="X-Agent-Token"
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => onChange({ ...draft, headerName: e.target.value })}
            />
          </div>
        )}
      </div>
      {draft.kind !== "NONE" && (
        <div className="grid gap-2">
          <Label htmlFor={`${id}-value`}>{draft.kind === "BEARER" ? "Token" : draft.kind === "API_KEY" ? "API key" : "Header value"}</Label>
          <Input
            id={`${id}-value`}
            type="password"
            value={draft.value}
            disabled={disabled}
            required
            maxLength={4096}
            autoComplete="new-password"
            spellCheck={false}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => onChange({ ...draft, value: e.target.value })}
          />
        </div>
      )}
      <p id={helpId} className="text-xs text-muted-foreground">
        {credentialHelp[draft.kind]}
        {draft.kind !== "NONE" && " Stored encrypted; never shown again."}
      </p>
      {error && (
        <p id={errorId} role="alert" className="text-sm font-medium text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}

"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { CheckCircle2, Loader2 } from "lucide-react";
import { useId, useRef } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { cn } from "@/components/ui/utils";
import { AGENT_FIELDS, REQUEST_FIELDS, type ConditionKind } from "@/server/policies/cel";
import { errorSnippet, markRange } from "./condition-text";
import { AGENT_CONDITION_EXAMPLES, agentFieldHelp, CONDITION_EXAMPLES, requestFieldHelp } from "./labels";
import { useDebouncedValue } from "./use-debounced-value";

/** The same box for the textarea and the layer under it that marks the error, so their text lines up. */
const BOX = "w-full rounded-md border px-3 py-2 font-mono text-sm leading-6 whitespace-pre-wrap break-words [overflow-wrap:anywhere]";

interface Props {
  orgSlug: string;
  kind: ConditionKind;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** An error from saving (shown when the live check has nothing to say). */
  error?: string;
  description?: string;
  disabled?: boolean;
  name?: string;
}

/**
 * A CEL condition with live checking: as the person types, the server parses and type-checks it
 * (debounced) and the part an error is about is marked in the text and shown under it with a
 * caret line.
 */
export function ConditionEditor({ orgSlug, kind, label, value, onChange, error, description, disabled, name }: Props) {
  const trpc = useTRPC();
  const id = useId();
  const mirror = useRef<HTMLDivElement>(null);
  const settled = useDebouncedValue(value, 350);
  const check = useQuery({
    ...trpc.policy.validateCondition.queryOptions({ orgSlug, condition: settled, kind }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  const checking = settled !== value || check.isFetching;
  // Only a result for exactly this text may mark it: offsets into older text point at the wrong place.
  const result = !checking && !check.isPlaceholderData ? check.data : undefined;
  const liveError = result?.error ?? null;
  const shownError = liveError?.message ?? (result?.ok ? null : error) ?? null;
  const marked = liveError ? markRange(value, liveError.start, liveError.end) : null;
  const snippet = liveError && value.trim() ? errorSnippet(value, liveError.start, liveError.end) : null;
  const statusId = `${id}-status`;
  const descriptionId = description ? `${id}-description` : undefined;

  return (
    <div className="grid gap-2" data-testid={`${kind}-editor`}>
      <Label htmlFor={id} className={cn(shownError && "text-destructive")}>
        {label}
        <span aria-hidden="true" className="-ml-1 text-destructive">
          *
        </span>
      </Label>
      <div className="relative rounded-md bg-background dark:bg-input/10">
        <div ref={mirror} aria-hidden="true" className={cn(BOX, "pointer-events-none absolute inset-0 overflow-hidden border-transparent text-transparent")}>
          {marked ? (
            <>
              {marked.before}
              {marked.caret ? (
                <span className="relative inline-block h-5 w-0 border-l-2 border-destructive align-text-bottom" />
              ) : (
                <mark data-testid="condition-error-mark" className="rounded-sm bg-destructive/20 text-transparent underline decoration-destructive decoration-wavy underline-offset-4">
                  {marked.marked}
                </mark>
              )}
              {marked.after}
            </>
          ) : (
            value
          )}
          {/* A trailing newline in a textarea opens a line the layer must have too. */}
          {"\n"}
        </div>
        <textarea
          id={id}
          name={name}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (mirror.current) mirror.current.scrollTop = e.currentTarget.scrollTop;
          }}
          rows={3}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          disabled={disabled}
          aria-required="true"
          aria-invalid={shownError ? true : undefined}
          aria-describedby={[descriptionId, statusId].filter(Boolean).join(" ")}
          className={cn(
            BOX,
            "relative field-sizing-content min-h-20 resize-y border-input bg-transparent shadow-xs outline-hidden focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring disabled:cursor-not-allowed disabled:opacity-50",
            "aria-invalid:border-destructive aria-invalid:focus-visible:ring-destructive",
          )}
        />
      </div>
      {description && (
        <p id={descriptionId} className="text-sm text-muted-foreground">
          {description}
        </p>
      )}
      <div id={statusId} aria-live="polite" data-testid={`${kind}-status`} className="grid gap-1 text-sm">
        {checking && !shownError ? (
          <p className="flex items-center gap-1.5 text-muted-foreground">
            <Loader2 aria-hidden="true" className="size-3.5 animate-spin motion-reduce:animate-none" />
            Checking…
          </p>
        ) : shownError ? (
          <>
            <p className="font-medium text-destructive" data-testid={`${kind}-error`}>
              {shownError}
            </p>
            {snippet && (
              <pre aria-hidden="true" className="overflow-x-auto rounded-md border border-destructive/40 bg-destructive/5 px-3 py-2 font-mono text-xs leading-5">
                <span className="text-muted-foreground select-none">{String(snippet.lineNumber).padStart(2, " ")} │ </span>
                {snippet.line}
                {"\n"}
                <span className="select-none">{"   │ "}</span>
                <span className="text-destructive">{snippet.caret}</span>
              </pre>
            )}
          </>
        ) : check.isError ? (
          <p className="text-muted-foreground">The condition could not be checked now ({check.error.message}); it is checked again when you save.</p>
        ) : result?.ok ? (
          <p className="flex items-center gap-1.5 text-success" data-testid={`${kind}-ok`}>
            <CheckCircle2 aria-hidden="true" className="size-3.5" />
            Valid condition
          </p>
        ) : null}
      </div>
      <ConditionReference kind={kind} onUse={disabled ? undefined : onChange} />
    </div>
  );
}

/** The variables a condition may read and a few examples to start from. */
export function ConditionReference({ kind, onUse }: { kind: ConditionKind; onUse?: (condition: string) => void }) {
  const examples = kind === "agentCondition" ? AGENT_CONDITION_EXAMPLES : CONDITION_EXAMPLES;
  return (
    <details className="group rounded-md border text-sm">
      <summary className="cursor-pointer px-3 py-2 font-medium select-none">Variables and examples</summary>
      <div className="grid gap-4 border-t px-3 py-3">
        <p className="text-muted-foreground">
          Conditions are{" "}
          <a href="https://cel.dev" target="_blank" rel="noreferrer" className="underline underline-offset-4">
            CEL
          </a>{" "}
          expressions that are true or false:{" "}
          <code className="font-mono text-xs">== != &lt; &gt; &amp;&amp; || ! in</code>, <code className="font-mono text-xs">.startsWith()</code>,{" "}
          <code className="font-mono text-xs">.contains()</code>, <code className="font-mono text-xs">.matches()</code>, <code className="font-mono text-xs">.exists(x, …)</code>,{" "}
          <code className="font-mono text-xs">size()</code>.
        </p>
        {kind === "agentCondition" && <FieldTable variable="agent" fields={AGENT_FIELDS} help={agentFieldHelp} />}
        <FieldTable variable="request" fields={REQUEST_FIELDS} help={requestFieldHelp} />
        <div className="grid gap-2">
          <h4 className="font-medium">Examples</h4>
          <ul className="grid gap-1.5">
            {examples.map((e) => (
              <li key={e.condition} className="flex flex-wrap items-center gap-2">
                <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{e.condition}</code>
                <span className="text-muted-foreground">{e.title}</span>
                {onUse && (
                  <Button type="button" variant="ghost" size="sm" className="h-6 px-2 text-xs" onClick={() => onUse(e.condition)}>
                    Use<span className="sr-only"> {e.title}</span>
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </details>
  );
}

function FieldTable<F extends Record<string, string>>({ variable, fields, help }: { variable: string; fields: F; help: Record<keyof F, string> }) {
  return (
    <div className="grid gap-2">
      <h4 className="font-medium">
        <code className="font-mono">{variable}</code>
      </h4>
      <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[auto_auto_1fr]">
        {(Object.keys(fields) as (keyof F & string)[]).map((name) => (
          <div key={name} className="contents">
            <dt className="font-mono text-xs">
              {variable === "request" && name === "headers" ? 'request.headers["x-name"]' : `${variable}.${name}`}
            </dt>
            <dd className="font-mono text-xs text-muted-foreground">{fields[name]}</dd>
            <dd className="text-xs text-muted-foreground">{help[name]}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

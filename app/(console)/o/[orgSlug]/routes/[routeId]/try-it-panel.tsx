"use client";

import { useMutation } from "@tanstack/react-query";
import { Loader2, Send } from "lucide-react";
import { useId, useState } from "react";
import { DisabledAction } from "@/components/agents/disabled-action";
import { Fact, Missing } from "@/components/agents/facts";
import { fieldErrorsOf } from "@/components/agents/form-errors";
import { Section } from "@/components/agents/section";
import { formatLatency } from "@/components/agents/time";
import { attemptFlags, attemptOutcome, attemptProtocol } from "@/components/routes/try-it";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";
import { TRY_IT_MESSAGE_MAX, type RouteDetail, type TryItReport, type TryItResult } from "@/server/routes/schema";

/** One message through the gateway to this route, and how it was served. */
export function TryItPanel({ orgSlug, route, role }: { orgSlug: string; route: RouteDetail; role: Role }) {
  const trpc = useTRPC();
  const [message, setMessage] = useState("");
  const [system, setSystem] = useState("");
  const [emptyError, setEmptyError] = useState<string | null>(null);
  const tryIt = useMutation(trpc.route.tryIt.mutationOptions());
  const canTry = hasRole(role, "EDITOR");
  const fieldErrors = fieldErrorsOf(tryIt.error);
  const formError = tryIt.error && !fieldErrors.message && !fieldErrors.system ? tryIt.error.message : null;

  const send = () => {
    if (!message.trim()) {
      setEmptyError("Write a message to send");
      return;
    }
    setEmptyError(null);
    tryIt.mutate({ orgSlug, routeId: route.id, message, system: system.trim() || undefined });
  };

  const sendLabel = tryIt.isPending ? "Sending…" : "Send";
  const sendIcon = tryIt.isPending ? <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" /> : <Send aria-hidden="true" />;

  return (
    <Section
      id="route-try-it"
      title="Try it"
      description={`Sends one message through the gateway to “${route.alias}”, as a client would, and shows which agent answered and every attempt on the way. Uses the saved version; the agents answer for real.`}
    >
      <div className="grid gap-6">
        <form
          noValidate
          aria-busy={tryIt.isPending || undefined}
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (canTry && route.enabled) send();
          }}
        >
          <FormField label="Message" required error={emptyError ?? fieldErrors.message}>
            <Textarea
              name="message"
              value={message}
              onChange={(e) => {
                setMessage(e.target.value);
                setEmptyError(null);
              }}
              onKeyDown={(e) => {
                // Ctrl/⌘+Enter sends, as in chat tools.
                if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  e.currentTarget.form?.requestSubmit();
                }
              }}
              maxLength={TRY_IT_MESSAGE_MAX}
              rows={3}
              placeholder="Hello! What can you do?"
              disabled={tryIt.isPending}
            />
          </FormField>
          <FormField label="System prompt (optional)" error={fieldErrors.system} description="Sent first, with the role “system”.">
            <Textarea name="system" value={system} onChange={(e) => setSystem(e.target.value)} maxLength={TRY_IT_MESSAGE_MAX} rows={2} disabled={tryIt.isPending} />
          </FormField>
          <div className="flex flex-wrap items-center gap-3">
            {!canTry ? (
              <DisabledAction variant="default" reason={`Trying a route sends real traffic and needs the Editor role; you are ${roleLabel[role]}.`}>
                <Send aria-hidden="true" />
                Send
              </DisabledAction>
            ) : (
              <Button type="submit" disabled={tryIt.isPending || !route.enabled}>
                {sendIcon}
                {sendLabel}
              </Button>
            )}
            {!route.enabled && <p className="text-sm text-muted-foreground">This route is disabled, so the gateway does not serve it. Enable it to try it.</p>}
          </div>
        </form>

        <section aria-label="Try it result" aria-live="polite" className="grid gap-4">
          {tryIt.isPending ? (
            <div role="status" aria-label="Waiting for the gateway" className="grid gap-2">
              <Skeleton className="h-5 w-48" />
              <Skeleton className="h-16 w-full" />
            </div>
          ) : formError ? (
            <Alert variant="destructive">
              <AlertTitle>The message was not sent</AlertTitle>
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          ) : tryIt.data ? (
            <TryItOutcome result={tryIt.data} />
          ) : null}
        </section>
      </div>
    </Section>
  );
}

function TryItOutcome({ result }: { result: TryItResult }) {
  const answerId = useId();
  const { helix } = result;
  return (
    <>
      {result.ok ? (
        <section aria-labelledby={answerId} className="grid gap-2">
          <h3 id={answerId} className="text-sm font-semibold">
            Answer
          </h3>
          <p className="whitespace-pre-wrap break-words rounded-md border bg-muted/40 p-3 text-sm">{result.answer}</p>
        </section>
      ) : (
        <Alert variant="destructive">
          <AlertTitle>The gateway answered {result.status}</AlertTitle>
          <AlertDescription>{result.error}</AlertDescription>
        </Alert>
      )}
      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-4">
        <Fact term="Answered by">{helix?.agentName ?? <Missing>No agent</Missing>}</Fact>
        <Fact term="Status">
          <span className="flex flex-wrap items-center gap-2">
            <Badge variant={result.ok ? "success" : "destructive"}>{result.status}</Badge>
            {/* Failed requests may have tried several agents too; the badge says another one answered. */}
            {result.ok && helix?.failover && <Badge variant="warning">Failover</Badge>}
          </span>
        </Fact>
        <Fact term="Total time">
          <span className="tabular-nums">{formatLatency(helix?.totalMs ?? result.totalMs)}</span>
          {helix && <span className="text-xs text-muted-foreground"> (in the gateway; {formatLatency(result.totalMs)} from the console)</span>}
        </Fact>
        <Fact term="Attempts">{helix ? helix.attempts.length : <Missing>Not reported</Missing>}</Fact>
      </dl>
      {helix && helix.attempts.length > 0 && <AttemptsTable helix={helix} />}
      {helix && (
        <p className="text-xs text-muted-foreground">
          Request <code className="font-mono">{helix.requestId}</code> · trace <code className="font-mono">{helix.traceId}</code>
        </p>
      )}
    </>
  );
}

function AttemptsTable({ helix }: { helix: TryItReport }) {
  return (
    <Table aria-label="Attempts">
      <TableCaption className="mt-2 text-left">Every call the gateway made to an agent for this message, in order.</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead className="w-8">#</TableHead>
          <TableHead>Agent</TableHead>
          <TableHead>Protocol</TableHead>
          <TableHead>Outcome</TableHead>
          <TableHead className="text-right">Latency</TableHead>
          <TableHead className="text-right">TTFT</TableHead>
          <TableHead>Flags</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {helix.attempts.map((attempt, i) => (
          <TableRow key={i}>
            <TableCell className="tabular-nums">{i + 1}</TableCell>
            <TableCell>{attempt.agentName ?? <Missing>Unknown</Missing>}</TableCell>
            <TableCell>{attemptProtocol(attempt.protocol)}</TableCell>
            <TableCell className={attempt.errorClass ? "text-destructive" : undefined}>{attemptOutcome(attempt)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatLatency(attempt.latencyMs)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatLatency(attempt.ttftMs)}</TableCell>
            <TableCell>
              <span className="flex gap-1">
                {attemptFlags(attempt).map((flag) => (
                  <Badge key={flag} variant={flag === "failover" ? "warning" : "secondary"}>
                    {flag}
                  </Badge>
                ))}
              </span>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

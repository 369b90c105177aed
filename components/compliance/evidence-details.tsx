import type { CheckResultView } from "@/server/compliance/schema";
import { formatUtc } from "@/components/agents/time";
import { ComplianceStatusBadge } from "./status-badge";
import { factValue } from "./status";

/** One check's stored evidence: outcome, facts, what is at fault, warnings and how it decided. */
export function EvidenceDetails({ check, headingLevel = 4 }: { check: CheckResultView; headingLevel?: 3 | 4 }) {
  const Heading = headingLevel === 3 ? "h3" : "h4";
  const evidence = check.evidence;
  return (
    <section className="grid gap-2 break-inside-avoid" aria-label={check.title}>
      <div className="flex flex-wrap items-center gap-2">
        <ComplianceStatusBadge status={check.status} />
        <Heading className="text-sm font-medium">{check.title}</Heading>
        <code className="font-mono text-xs text-muted-foreground">{check.key}</code>
        {check.checkedAt && <span className="text-xs text-muted-foreground">checked {formatUtc(check.checkedAt)}</span>}
      </div>
      {!evidence ? (
        <p className="text-sm text-muted-foreground">Not run yet. {check.description}</p>
      ) : (
        <>
          <p className="text-sm">{evidence.summary}</p>
          {evidence.facts.length > 0 && (
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-0.5 text-xs">
              {evidence.facts.map((f) => (
                <div key={f.label} className="contents">
                  <dt className="text-muted-foreground">{f.label}</dt>
                  <dd className="font-mono tabular-nums">{factValue(f.value)}</dd>
                </div>
              ))}
            </dl>
          )}
          {evidence.offenders.length > 0 && (
            <div className="text-xs">
              <p className="font-medium text-destructive">What fails</p>
              <ul className="list-disc pl-5">
                {evidence.offenders.map((o) => (
                  <li key={`${o.kind}:${o.id}:${o.reason}`}>
                    <span className="font-medium">{o.name}</span> <span className="text-muted-foreground">({o.kind})</span>: {o.reason}
                  </li>
                ))}
              </ul>
              {evidence.offendersTotal > evidence.offenders.length && (
                <p className="text-muted-foreground">…and {evidence.offendersTotal - evidence.offenders.length} more</p>
              )}
            </div>
          )}
          {evidence.warnings.length > 0 && (
            <div className="text-xs">
              <p className="font-medium">Worth a look</p>
              <ul className="list-disc pl-5">
                {evidence.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </div>
          )}
          <p className="text-xs text-muted-foreground">
            <span className="font-medium">How this was checked:</span> {evidence.method}
          </p>
        </>
      )}
    </section>
  );
}

import type { Metadata } from "next";
import { ArrowLeft, Download } from "lucide-react";
import Link from "next/link";
import { formatUtc } from "@/components/agents/time";
import { EvidenceDetails } from "@/components/compliance/evidence-details";
import { ComplianceStatusBadge } from "@/components/compliance/status-badge";
import { CONTROL_STATUS_ORDER, frameworkSummary, STATUS_MEANING } from "@/components/compliance/status";
import { loadOrgPage } from "@/components/trpc/org-page";
import { Button } from "@/components/ui/button";
import { PrintButton } from "./print-button";

export const metadata: Metadata = { title: "Compliance report" };

// Printing: the console's sidebar and top bar are left out, the page takes the sheet's width and is
// printed light whatever the theme. Scoped with :has() so other pages print as they always did.
const PRINT_CSS = `
@media print {
  @page { margin: 14mm; }
  html:has([data-compliance-report]) { color-scheme: light; }
  html:has([data-compliance-report]), html:has([data-compliance-report]) .dark, html:has([data-compliance-report]).dark {
    --background: oklch(1 0 0); --foreground: oklch(0.145 0 0); --card: oklch(1 0 0); --card-foreground: oklch(0.145 0 0);
    --muted: oklch(0.97 0 0); --muted-foreground: oklch(0.4 0 0); --border: oklch(0.85 0 0);
    --secondary: oklch(0.95 0 0); --secondary-foreground: oklch(0.205 0 0);
  }
  body:has([data-compliance-report]) aside, body:has([data-compliance-report]) header:not([data-compliance-report] *) { display: none !important; }
  body:has([data-compliance-report]) main { max-width: none !important; padding: 0 !important; }
  [data-compliance-report] [data-print-hidden] { display: none !important; }
  [data-compliance-report] tr, [data-compliance-report] section { break-inside: avoid; }
  [data-compliance-report] h2 { break-after: avoid; }
}`;

export default async function ComplianceReportPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org, caller } = await loadOrgPage(orgSlug, "/compliance/report");
  const overview = await caller.compliance.overview({ orgSlug });
  const generatedAt = new Date();
  return (
    <article data-compliance-report className="grid gap-8 print:gap-6 print:text-[11px]">
      <style>{PRINT_CSS}</style>
      <div data-print-hidden className="flex flex-wrap items-center gap-2">
        <Button variant="ghost" size="sm" asChild>
          <Link href={`/o/${orgSlug}/compliance`}>
            <ArrowLeft aria-hidden="true" />
            Compliance
          </Link>
        </Button>
        <div className="ml-auto flex gap-2">
          <Button variant="outline" asChild>
            <a href={`/api/orgs/${orgSlug}/compliance/export`} download>
              <Download aria-hidden="true" />
              Export CSV
            </a>
          </Button>
          <PrintButton />
        </div>
      </div>

      <div className="grid gap-1 border-b pb-4">
        <h1 className="text-2xl font-semibold tracking-tight">Compliance report: {org.name}</h1>
        <p className="text-sm text-muted-foreground">
          Generated {formatUtc(generatedAt)} by HelixAgent ·{" "}
          {overview.lastRunAt ? `checks last run ${formatUtc(overview.lastRunAt)}` : "the automated checks have not run yet"}
        </p>
        <p className="max-w-prose text-sm text-muted-foreground">
          Each control&apos;s status comes from automated checks of this organization&apos;s configuration. It is evidence for an assessment, not a
          certification; controls marked manual need a person&apos;s judgement.
        </p>
      </div>

      <section aria-labelledby="summary-heading" className="grid gap-2">
        <h2 id="summary-heading" className="text-lg font-semibold">
          Summary
        </h2>
        <table className="w-full text-sm">
          <thead>
            <tr className="border-b text-left">
              <th className="py-1 pr-4 font-medium">Framework</th>
              <th className="py-1 font-medium">Result</th>
            </tr>
          </thead>
          <tbody>
            {overview.frameworks.map((f) => (
              <tr key={f.key} className="border-b">
                <td className="py-1 pr-4">
                  <a href={`#fw-${f.key}`} className="underline-offset-4 hover:underline">
                    {f.name}
                  </a>
                  {!f.builtIn && <span className="ml-1 text-xs text-muted-foreground">(custom)</span>}
                </td>
                <td className="py-1">{frameworkSummary(f.counts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="grid gap-1 pt-2 text-xs sm:grid-cols-[auto_1fr] sm:gap-x-3">
          {CONTROL_STATUS_ORDER.map((s) => (
            <div key={s} className="contents">
              <dt>
                <ComplianceStatusBadge status={s} />
              </dt>
              <dd className="text-muted-foreground">{STATUS_MEANING[s]}</dd>
            </div>
          ))}
        </dl>
      </section>

      {overview.frameworks.map((f) => (
        <section key={f.key} id={`fw-${f.key}`} aria-labelledby={`fw-${f.key}-heading`} className="grid gap-2 print:break-before-page">
          <h2 id={`fw-${f.key}-heading`} className="text-lg font-semibold">
            {f.name}
          </h2>
          {f.description && <p className="max-w-prose text-sm text-muted-foreground">{f.description}</p>}
          <p className="text-sm">{frameworkSummary(f.counts)}</p>
          {f.controls.length === 0 ? (
            <p className="text-sm text-muted-foreground">No controls.</p>
          ) : (
            <table className="w-full text-sm">
              <thead>
                <tr className="border-b text-left align-bottom">
                  <th className="py-1 pr-3 font-medium">Control</th>
                  <th className="py-1 pr-3 font-medium">Title</th>
                  <th className="py-1 pr-3 font-medium">Status</th>
                  <th className="py-1 pr-3 font-medium">Evidence</th>
                  <th className="py-1 font-medium whitespace-nowrap">Checked at</th>
                </tr>
              </thead>
              <tbody>
                {f.controls.map((c) => (
                  <tr key={c.controlId} className="border-b align-top">
                    <td className="py-1.5 pr-3 font-mono text-xs whitespace-nowrap">{c.controlId}</td>
                    <td className="py-1.5 pr-3">
                      <span className="font-medium">{c.title}</span>
                      <p className="text-xs text-muted-foreground">{c.description}</p>
                    </td>
                    <td className="py-1.5 pr-3">
                      <ComplianceStatusBadge status={c.status} />
                    </td>
                    <td className="py-1.5 pr-3 text-xs">
                      {c.checks.length === 0 ? (
                        <span className="text-muted-foreground">No automated check</span>
                      ) : (
                        <ul className="grid gap-0.5">
                          {c.checks.map((k) => (
                            <li key={k.key}>
                              <span className="font-mono">{k.key}</span> {k.status === "NOT_RUN" ? "not run yet" : k.status.toLowerCase().replace("_", " ")}: {k.summary ?? k.title}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td className="py-1.5 text-xs whitespace-nowrap">{c.checkedAt ? formatUtc(c.checkedAt) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}

      <section aria-labelledby="evidence-heading" className="grid gap-4 print:break-before-page">
        <h2 id="evidence-heading" className="text-lg font-semibold">
          Evidence by check
        </h2>
        {overview.checks.map((c) => (
          <EvidenceDetails key={c.key} check={c} headingLevel={3} />
        ))}
      </section>
    </article>
  );
}

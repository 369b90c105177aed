import type { CatalogFramework } from "./types";

// A curated subset of the GDPR (Regulation (EU) 2016/679) that the gateway's configuration can
// give evidence for. Titles and descriptions are our own short paraphrases, not the regulation's text.
export const GDPR: CatalogFramework = {
  key: "gdpr",
  name: "GDPR",
  description:
    "EU General Data Protection Regulation: the articles that the way AI traffic is routed, masked, logged and kept can speak to. Passing checks is evidence for an assessment, not a certification.",
  controls: [
    {
      controlId: "Art. 5(1)(c)",
      title: "Data minimisation",
      description: "Send agents only the personal data a task needs: mask identifiers on traffic that carries personal data.",
      checks: ["pii.redaction"],
    },
    {
      controlId: "Art. 5(1)(e)",
      title: "Storage limitation",
      description: "Keep records that identify people no longer than their purpose requires.",
      checks: ["telemetry.retention"],
    },
    {
      controlId: "Art. 5(2)",
      title: "Accountability",
      description: "Be able to show, after the fact, who changed what and when.",
      checks: ["audit.chain"],
    },
    {
      controlId: "Art. 12(3)",
      title: "Answering data subjects in time",
      description: "Act on requests from the people the data is about within a month.",
      checks: ["dsr.timely"],
    },
    {
      controlId: "Art. 15",
      title: "Right of access",
      description: "People can obtain a copy of what is held about them.",
      checks: ["dsr.timely"],
    },
    {
      controlId: "Art. 17",
      title: "Right to erasure",
      description: "People can have their data deleted when there is no reason left to keep it.",
      checks: ["dsr.timely"],
    },
    {
      controlId: "Art. 25",
      title: "Data protection by design and by default",
      description: "Protection is built into the system: enforced rules block or mask by default rather than relying on each application.",
      checks: ["policies.enforced", "pii.redaction"],
    },
    {
      controlId: "Art. 30",
      title: "Records of processing",
      description: "Keep a record of the processing configuration and of changes to it.",
      checks: ["audit.chain"],
    },
    {
      controlId: "Art. 32",
      title: "Security of processing",
      description: "Appropriate technical measures: strong sign-in, secrets encrypted at rest, authenticated outbound notifications.",
      checks: ["sso.members", "agents.credentials", "webhooks.signed"],
    },
    {
      controlId: "Art. 32(1)(b)",
      title: "Availability and resilience",
      description: "Notice quickly when processing systems fail or degrade.",
      checks: ["alerts.availability"],
    },
    {
      controlId: "Art. 44",
      title: "Transfers outside the EU",
      description: "Traffic classified as EU data is only served by agents located in the EU.",
      checks: ["residency.eu"],
    },
  ],
};

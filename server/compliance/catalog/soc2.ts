import type { CatalogFramework } from "./types";

// A curated subset of the AICPA 2017 Trust Services Criteria used in SOC 2 reports. Titles and
// descriptions are our own short paraphrases, not the criteria's text.
export const SOC2: CatalogFramework = {
  key: "soc2",
  name: "SOC 2",
  description:
    "SOC 2 Trust Services Criteria (security, availability, confidentiality): the criteria the control plane's configuration can give evidence for. Passing checks is evidence for an auditor, not an opinion.",
  controls: [
    {
      controlId: "CC6.1",
      title: "Logical access security",
      description: "Access to information assets is protected: central sign-in, secrets encrypted at rest, enforced access rules.",
      checks: ["sso.members", "agents.credentials", "policies.enforced"],
    },
    {
      controlId: "CC6.2",
      title: "User registration and removal",
      description: "People get and lose access through a managed process; with SSO, leaving the identity provider removes sign-in.",
      checks: ["sso.members"],
    },
    {
      controlId: "CC6.6",
      title: "Boundary protection",
      description: "Requests from outside the system boundary are filtered by enforced rules, and outgoing notifications are authenticated.",
      checks: ["policies.enforced", "webhooks.signed"],
    },
    {
      controlId: "CC6.7",
      title: "Restricted transmission of data",
      description: "Data moves only to authorized places: sensitive fields are masked and regional data stays in its region.",
      checks: ["pii.redaction", "residency.eu"],
    },
    {
      controlId: "CC7.2",
      title: "Monitoring for anomalies",
      description: "System components are monitored for failures and unusual behaviour, and the activity record is trustworthy.",
      checks: ["alerts.availability", "audit.chain"],
    },
    {
      controlId: "CC8.1",
      title: "Change management",
      description: "Changes to configuration are recorded with who made them, in a log that shows tampering.",
      checks: ["audit.chain"],
    },
    {
      controlId: "A1.2",
      title: "Availability monitoring and recovery",
      description: "The availability of processing is watched so that outages are noticed and handled.",
      checks: ["alerts.availability"],
    },
    {
      controlId: "C1.1",
      title: "Protecting confidential information",
      description: "Confidential information is identified and protected where it flows.",
      checks: ["pii.redaction", "residency.eu"],
    },
    {
      controlId: "C1.2",
      title: "Disposing of confidential information",
      description: "Confidential information is deleted when it is no longer needed or when someone asks for it.",
      checks: ["telemetry.retention", "dsr.timely"],
    },
  ],
};

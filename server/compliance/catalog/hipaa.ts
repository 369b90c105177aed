import type { CatalogFramework } from "./types";

// A curated subset of the HIPAA Security and Privacy Rules (45 CFR Part 164). Titles and
// descriptions are our own short paraphrases, not the regulation's text.
export const HIPAA: CatalogFramework = {
  key: "hipaa",
  name: "HIPAA",
  description:
    "US Health Insurance Portability and Accountability Act, Security and Privacy Rules: the safeguards an AI gateway carrying electronic protected health information (ePHI) can give evidence for. Passing checks is evidence, not a compliance determination.",
  controls: [
    {
      controlId: "§164.308(a)(1)(ii)(D)",
      title: "Information system activity review",
      description: "Regularly review records of system activity such as audit logs and incident reports.",
      checks: ["audit.chain", "alerts.availability"],
    },
    {
      controlId: "§164.308(a)(4)",
      title: "Information access management",
      description: "Decide and enforce which requests may reach which systems that hold ePHI.",
      checks: ["policies.enforced"],
    },
    {
      controlId: "§164.308(a)(5)(ii)(D)",
      title: "Password management",
      description: "Manage how people authenticate; central sign-in through the organization's identity provider.",
      checks: ["sso.members"],
    },
    {
      controlId: "§164.308(a)(6)(ii)",
      title: "Security incident response and reporting",
      description: "Detect incidents such as failing or erroring systems and notify the people who respond.",
      checks: ["alerts.availability", "webhooks.signed"],
    },
    {
      controlId: "§164.312(a)(1)",
      title: "Access control",
      description: "Only authorized people and software get access to systems that hold ePHI.",
      checks: ["sso.members", "policies.enforced"],
    },
    {
      controlId: "§164.312(a)(2)(iv)",
      title: "Encryption and decryption",
      description: "Encrypt stored secrets that grant access to systems handling ePHI.",
      checks: ["agents.credentials"],
    },
    {
      controlId: "§164.312(b)",
      title: "Audit controls",
      description: "Record and be able to examine activity in systems that contain or use ePHI.",
      checks: ["audit.chain"],
    },
    {
      controlId: "§164.312(c)(1)",
      title: "Integrity",
      description: "Protect records from being altered or destroyed without it being noticed.",
      checks: ["audit.chain"],
    },
    {
      controlId: "§164.312(d)",
      title: "Person or entity authentication",
      description: "Verify that whoever signs in is who they claim to be.",
      checks: ["sso.members"],
    },
    {
      controlId: "§164.312(e)(1)",
      title: "Transmission security",
      description: "Guard ePHI sent over networks: mask it before it leaves for agents and authenticate outgoing messages.",
      checks: ["pii.redaction", "webhooks.signed"],
    },
    {
      controlId: "§164.514(d)",
      title: "Minimum necessary",
      description: "Limit the health information disclosed to what the purpose needs, and keep raw records no longer than needed.",
      checks: ["pii.redaction", "telemetry.retention"],
    },
  ],
};

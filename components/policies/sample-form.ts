import type { z } from "zod";
import type { sampleRequestInput } from "@/server/policies/schema";
import { dataLabelsProblem, parseDataLabels } from "./data-labels";

/** A sample request as typed in the "test against a sample request" panel. */
export interface SampleForm {
  routeId: string;
  /** "" = no API key. */
  keyId: string;
  text: string;
  /** Labels the client would send in x-helix-data-labels, comma-separated. */
  labels: string;
  model: string;
  stream: boolean;
  subject: string;
  headers: SampleHeader[];
  /** UTC hour the request pretends to be sent at, "" = now. */
  hour: string;
}

export interface SampleHeader {
  /** Only tells React which row is which. */
  key: string;
  name: string;
  value: string;
}

export type SampleInput = z.input<typeof sampleRequestInput>;
export type SampleErrors = Record<string, string>;

const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

let seq = 0;
export function newSampleHeader(init: Partial<Omit<SampleHeader, "key">> = {}): SampleHeader {
  return { key: `header-${++seq}`, name: "", value: "", ...init };
}

export function emptySampleForm(routeId = ""): SampleForm {
  return { routeId, keyId: "", text: "", labels: "", model: "", stream: false, subject: "", headers: [], hour: "" };
}

/**
 * The sample as the API takes it, or the problems to show, keyed by field ("labels",
 * "headers.1.name"). Header rows left entirely empty are ignored.
 */
export function readSampleForm(form: SampleForm, now: Date = new Date()): { sample: SampleInput; errors: null } | { sample: null; errors: SampleErrors } {
  const errors: SampleErrors = {};
  if (!form.routeId) errors.routeId = "Choose the route the request is sent to";
  const labels = parseDataLabels(form.labels);
  const labelProblem = dataLabelsProblem(labels);
  if (labelProblem) errors.labels = labelProblem;
  const headers: { name: string; value: string }[] = [];
  form.headers.forEach((h, i) => {
    const name = h.name.trim().toLowerCase();
    if (!name && !h.value) return;
    if (!HEADER_NAME.test(name)) errors[`headers.${i}.name`] = name ? "A header name is 1–64 letters, digits or - _ . characters" : "Give the header's name, or clear its value";
    headers.push({ name, value: h.value });
  });
  let at: Date | undefined;
  if (form.hour.trim() !== "") {
    const hour = Number(form.hour.trim());
    if (!/^\d{1,2}$/.test(form.hour.trim()) || hour > 23) errors.hour = "An hour is 0–23 (UTC)";
    else at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour, 30));
  }
  if (Object.keys(errors).length) return { sample: null, errors };
  const model = form.model.trim();
  return {
    errors: null,
    sample: {
      routeId: form.routeId,
      keyId: form.keyId || null,
      text: form.text,
      labels,
      ...(model ? { model } : {}),
      stream: form.stream,
      subject: form.subject.trim(),
      headers,
      ...(at ? { at } : {}),
    },
  };
}

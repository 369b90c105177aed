/**
 * The CPU side of what policies add, in this process: the gateway's own code on a fixed request, many
 * times, against the same call with no policies. The snapshot is loaded from the run's database the
 * way the gateway loads it (so the policies are the 20 compiled rows of organization B and the
 * detectors are cached per organization), and the request is parsed by the gateway's parser.
 */
import type { IncomingMessage } from "node:http";
import { db } from "@/server/db";
import { eligibleTargets } from "@/server/gateway/engine";
import { parseChatRequest } from "@/server/gateway/inbound/openai";
import { applyPolicies, maskAnswer } from "@/server/gateway/policies";
import { loadSnapshot } from "@/server/gateway/snapshot";
import type { Snapshot, SnapshotRoute } from "@/server/gateway/types";
import { decide, type CompiledPolicy, type DecideInput } from "@/server/policies/evaluate";
import { createDetector, findPii, maskText, StreamMasker } from "@/server/policies/pii";
import { ROUTE_ALIAS } from "../gateway/requests";
import { ANSWER_500, chunked, policiesChatBody, policiesHeaders } from "./requests";
import type { PoliciesSeed } from "./seed";

export interface MicroResult {
  name: string;
  /** microseconds per call: median of the batches */
  usPerCall: number;
  /** fastest and slowest batch */
  minUs: number;
  maxUs: number;
  calls: number;
}

export interface MicroReport {
  results: MicroResult[];
  /** characters of the answer masked, and how it was chunked for the stream masker */
  answerChars: number;
  answerChunks: number;
  /** applyPolicies with the 20 policies + masking the answer as a stream, minus the same with none */
  addedPerJsonRequestUs: number;
  addedPerStreamRequestUs: number;
  /** what the masker produced from the answer, to show it masked the email */
  maskedAnswerSample: string;
}

let sink = 0;

function consume(value: unknown) {
  if (value !== null && value !== undefined) sink ^= 1;
}

/**
 * Runs `fn` in batches of a size that takes about `batchMs`, after a warm-up; µs per call is the
 * median of the batches (one a pause of the machine hit does not decide it).
 */
function timeIt(name: string, fn: () => unknown, opts: { batchMs?: number; batches?: number } = {}): MicroResult {
  const batchMs = opts.batchMs ?? 120;
  const batches = opts.batches ?? 7;
  let calls = 0;
  const warmStart = performance.now();
  while (performance.now() - warmStart < 80 || calls < 200) {
    consume(fn());
    calls++;
  }
  const perCallMs = (performance.now() - warmStart) / calls;
  const n = Math.max(50, Math.round(batchMs / perCallMs));
  const us: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) consume(fn());
    us.push(((performance.now() - t0) * 1000) / n);
  }
  us.sort((x, y) => x - y);
  return { name, usPerCall: us[us.length >> 1]!, minUs: us[0]!, maxUs: us[us.length - 1]!, calls: n * batches };
}

function routeOf(snapshot: Snapshot, orgId: string): SnapshotRoute {
  const route = snapshot.routesByAlias.get(orgId)?.get(ROUTE_ALIAS);
  if (!route) throw new Error(`the snapshot has no route ${ROUTE_ALIAS} for organization ${orgId}`);
  return route;
}

export async function runMicroBenchmarks(seed: PoliciesSeed): Promise<MicroReport> {
  const snapshot = await loadSnapshot(db(), { warn: (m) => console.error(`policies bench: snapshot: ${m}`) });
  const org = snapshot.policies.get(seed.b.orgId);
  if (!org || org.policies.length !== seed.compiled.length) {
    throw new Error(`the gateway snapshot holds ${org?.policies.length ?? 0} policies for organization B, expected ${seed.compiled.length}`);
  }
  const policies: readonly CompiledPolicy[] = org.policies;
  const routeA = routeOf(snapshot, seed.a.orgId);
  const routeB = routeOf(snapshot, seed.b.orgId);
  const candidatesOf = (route: SnapshotRoute) => eligibleTargets(snapshot, route).map((t) => snapshot.agents.get(t.agentId)!);
  const candidatesA = candidatesOf(routeA);
  const candidatesB = candidatesOf(routeB);
  const keyB = [...snapshot.keysByHash.values()].find((k) => k.orgId === seed.b.orgId)!;
  const keyA = [...snapshot.keysByHash.values()].find((k) => k.orgId === seed.a.orgId)!;
  const request = parseChatRequest(JSON.parse(policiesChatBody));
  const headersOf = (apiKey: string) => Object.fromEntries(Object.entries(policiesHeaders(apiKey)).map(([k, v]) => [k.toLowerCase(), v]));
  const reqA = { headers: headersOf(seed.a.apiKey) } as unknown as IncomingMessage;
  const reqB = { headers: headersOf(seed.b.apiKey) } as unknown as IncomingMessage;

  // decide() as applyPolicies calls it: facts of the request, PII detection on demand.
  const allDetector = createDetector({ kinds: "ALL", custom: [] });
  const input: DecideInput = {
    facts: {
      routeId: routeB.id,
      routeAlias: routeB.alias,
      routeLabels: routeB.labels,
      labels: ["EU", "PHI", ...routeB.labels],
      model: request.model,
      stream: request.stream,
      subject: "",
      keyId: keyB.id,
      keyName: keyB.name,
      protocol: "openai",
      headers: { "content-type": "application/json", "x-helix-data-labels": "EU, PHI" },
      at: new Date(),
    },
    detectPii: () => {
      const kinds = new Set<string>();
      for (const m of request.messages) for (const hit of findPii(allDetector, m.content)) kinds.add(hit.kind);
      return [...kinds];
    },
    candidateAgentIds: candidatesB.map((a) => a.id),
  };
  const detected = input.detectPii();
  const inputNoDetection: DecideInput = { ...input, detectPii: () => detected };
  const outcome = decide(policies, input);
  if (outcome.denied) throw new Error(`the benchmark request is denied by "${outcome.denied.name}": ${outcome.denied.message}`);
  if (!outcome.redactRequest || !outcome.redactResponse) throw new Error("the REDACT policy did not apply to the benchmark request");

  const apply = (which: "A" | "B") => () =>
    applyPolicies({
      snapshot,
      req: which === "A" ? reqA : reqB,
      route: which === "A" ? routeA : routeB,
      request,
      keyId: which === "A" ? keyA.id : keyB.id,
      keyName: which === "A" ? keyA.name : keyB.name,
      subject: null,
      protocol: "openai",
      candidates: which === "A" ? candidatesA : candidatesB,
    });
  const appliedB = apply("B")();
  if (!appliedB || !appliedB.answerDetector) throw new Error("applyPolicies did not return an answer detector for organization B");
  if (appliedB.request.messages[0]!.content.includes("maria.lopes@example.com")) throw new Error("applyPolicies did not mask the email in the request");
  const answerDetector = appliedB.answerDetector;

  const chunks = chunked(ANSWER_500, 4);
  const streamMasked = () => {
    const masker = new StreamMasker(answerDetector);
    let out = "";
    for (const c of chunks) out += masker.push(c);
    return out + masker.end();
  };
  const passThrough = () => {
    let out = "";
    for (const c of chunks) out += c;
    return out;
  };
  const maskedAnswerSample = streamMasked();
  if (maskedAnswerSample.includes("maria.lopes@example.com")) throw new Error("the stream masker left the email in the answer");
  if (maskText(answerDetector, ANSWER_500).text !== maskedAnswerSample) {
    console.error("policies bench: the stream masker and maskText disagree on the answer (reported as is)");
  }

  const results = [
    timeIt("decide(), no policies", () => decide([], input)),
    timeIt("decide(), 20 policies (PII detection on the request included)", () => decide(policies, input)),
    timeIt("decide(), 20 policies (PII kinds given: CEL and effects only)", () => decide(policies, inputNoDetection)),
    timeIt("PII detection on the ~550-character request (findPii, all kinds)", () => input.detectPii()),
    timeIt("masking the request text (maskText, EMAIL, CARD)", () => maskText(answerDetector, request.messages[0]!.content)),
    timeIt(`the decisions as the telemetry row carries them (JSON.stringify, ${appliedB.decisions.length} decisions)`, () => JSON.stringify(appliedB.decisions)),
    timeIt("applyPolicies(), organization without policies", apply("A")),
    timeIt("applyPolicies(), 20 policies (decide + routing check + masking the request)", apply("B")),
    timeIt("answer of ~530 characters in 4-character chunks, passed through", passThrough),
    timeIt("answer of ~530 characters in 4-character chunks, StreamMasker (EMAIL, CARD)", streamMasked),
    timeIt("answer of ~530 characters, maskAnswer (JSON answer, EMAIL, CARD)", () => maskAnswer(answerDetector, ANSWER_500)),
  ];
  if (sink === -1) console.error("unreachable");
  const us = (name: string) => results.find((r) => r.name.startsWith(name))!.usPerCall;
  const applyAdded = us("applyPolicies(), 20") - us("applyPolicies(), organization");
  return {
    results,
    answerChars: ANSWER_500.length,
    answerChunks: chunks.length,
    addedPerJsonRequestUs: applyAdded + us("answer of ~530 characters, maskAnswer"),
    addedPerStreamRequestUs: applyAdded + us("answer of ~530 characters in 4-character chunks, StreamMasker") - us("answer of ~530 characters in 4-character chunks, passed through"),
    maskedAnswerSample,
  };
}

/** Prometheus metrics of one gateway process (GET /metrics). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface GatewayMetricsSources {
  snapshotLoadedAt: () => number;
  snapshotReloads: () => number;
  listening: () => boolean;
  breakers: () => Record<string, string>;
  telemetry: () => Record<string, number | string | null>;
}

export function createMetrics(sources: GatewayMetricsSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "helix_gateway_process_" });

  const requests = new Counter({
    name: "helix_gateway_requests_total",
    help: "Requests answered, by inbound protocol and HTTP status class",
    labelNames: ["protocol", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "helix_gateway_request_duration_seconds",
    help: "Time from the request to the end of the answer",
    labelNames: ["stream"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const ttft = new Histogram({
    name: "helix_gateway_time_to_first_token_seconds",
    help: "Streams: time from the request to the first token sent to the client",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const attempts = new Counter({
    name: "helix_gateway_attempts_total",
    help: "Attempts sent to agents, by agent and outcome (ok or the error class)",
    labelNames: ["agent", "outcome"] as const,
    registers: [registry],
  });
  const retries = new Counter({ name: "helix_gateway_retries_total", help: "Attempts that were retries", registers: [registry] });
  const failovers = new Counter({
    name: "helix_gateway_failovers_total",
    help: "Requests answered by another agent after a failure (mid_stream: the stream had started)",
    labelNames: ["mid_stream"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "helix_gateway_breaker_open",
    help: "1 while an agent is ejected (open or half-open)",
    labelNames: ["agent", "state"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [agent, state] of Object.entries(sources.breakers())) if (state !== "closed") this.set({ agent, state }, 1);
    },
  });
  new Gauge({
    name: "helix_gateway_config_age_seconds",
    help: "Seconds since the config snapshot was loaded",
    registers: [registry],
    collect() {
      const at = sources.snapshotLoadedAt();
      this.set(at ? (Date.now() - at) / 1000 : -1);
    },
  });
  new Gauge({
    name: "helix_gateway_config_reloads",
    help: "Config snapshot reloads since start",
    registers: [registry],
    collect() {
      this.set(sources.snapshotReloads());
    },
  });
  new Gauge({
    name: "helix_gateway_config_listening",
    help: "1 while the gateway hears config changes from Postgres",
    registers: [registry],
    collect() {
      this.set(sources.listening() ? 1 : 0);
    },
  });
  new Gauge({
    name: "helix_gateway_telemetry",
    help: "Telemetry pipeline counters (buffered, written, spooled, replayed, dropped, …)",
    labelNames: ["stat"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [stat, value] of Object.entries(sources.telemetry())) if (typeof value === "number") this.set({ stat }, value);
    },
  });

  return { registry, requests, duration, ttft, attempts, retries, failovers };
}

export type GatewayMetrics = ReturnType<typeof createMetrics>;

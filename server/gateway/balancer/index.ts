/**
 * The gateway's load balancing and resilience: latency estimates (peak EWMA), per-agent circuit
 * breakers, per-route retry budgets, and the per-request plan of which agents to try in which
 * order. Pure and in memory; time and randomness are passed in.
 */
export { DEFAULT_DECAY_MS, DEFAULT_PRIOR_MS, PeakEwma } from "./peak-ewma";
export { AgentStats, type AgentLatency, type AgentStatsOptions, type LatencySample, type LatencySignal } from "./stats";
export { CircuitBreakers, type BreakerConfig, type BreakerSnapshot, type BreakerState, type CircuitBreakersOptions } from "./breaker";
export { RetryBudget, type RetryBudgetOptions, type RetryBudgetSnapshot } from "./retry-budget";
export { planAttempts, type PlanInput, type PlanTarget } from "./plan";

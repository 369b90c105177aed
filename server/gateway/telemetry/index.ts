/** The gateway's telemetry pipeline: see writer.ts for the design. */
export { TelemetryWriter, countGatewayEvents } from "./writer";
export type { TelemetryWriterOptions, TelemetryWriterStats } from "./writer";

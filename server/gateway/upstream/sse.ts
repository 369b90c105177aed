/**
 * Reads an agent's Server-Sent Events answer with eventsource-parser, bounded in bytes and in the
 * idle gap between two events. Reading is event-driven (no async iterator) so that a stream which
 * is complete can be let go without destroying its socket: the rest is drained in the background
 * and the connection goes back to the pool.
 */
import { createParser } from "eventsource-parser";
import { UpstreamError, type UpstreamCallOptions } from "../types";
import { failure, MAX_UPSTREAM_BYTES, type UpstreamResponse } from "./http";

/** After the answer is complete, how long and how much we wait for the agent to end the response. */
const DRAIN_MS = 1_000;
const DRAIN_BYTES = 64 * 1024;
/**
 * Lines that are not SSE at all. Agents do not send them; the parser builds an error object (with
 * a stack) for each, so a stream of junk is cut early rather than at the byte limit.
 */
const MAX_JUNK_LINES = 64;

/** Handles one event's data; returns true once the answer is complete (the rest is ignored). */
export type SseEventHandler = (data: string, event: string | undefined) => boolean | undefined;

export interface SseOutcome {
  /** The handler said the answer is complete (false: the agent ended the response first). */
  complete: boolean;
  /** How many events arrived. */
  events: number;
}

export interface SseLimits {
  /** Total bytes accepted (default 8 MiB). */
  maxBytes?: number;
  /** Longest gap between two events; 0 or less = none (the call's signal still applies). */
  idleTimeoutMs: number;
}

/**
 * Feeds the body to `onEvent` until the handler says complete, the agent ends the response, or a
 * limit is hit. Rejects only with UpstreamError: "timeout" (idle gap or our signal), "protocol"
 * (too large), "stream_broken" (socket error), or what the handler threw.
 */
export function readSse(
  res: UpstreamResponse,
  opts: Pick<UpstreamCallOptions, "agent" | "signal">,
  limits: SseLimits,
  onEvent: SseEventHandler,
): Promise<SseOutcome> {
  const { body } = res;
  const maxBytes = limits.maxBytes ?? MAX_UPSTREAM_BYTES;
  const name = opts.agent.name;

  return new Promise<SseOutcome>((resolve, reject) => {
    const decoder = new TextDecoder();
    let bytes = 0;
    let events = 0;
    let junk = 0;
    let settled = false;

    const idle =
      limits.idleTimeoutMs > 0
        ? setTimeout(() => {
            fail(
              new UpstreamError(`${name} sent no stream event for ${limits.idleTimeoutMs} ms`, "timeout", {
                status: res.status,
                retryable: true,
              }),
            );
          }, limits.idleTimeoutMs)
        : null;

    const parser = createParser({
      maxBufferSize: maxBytes,
      onEvent(message) {
        if (settled) return;
        events++;
        idle?.refresh();
        if (onEvent(message.data, message.event) === true) complete();
      },
      onError(error) {
        if (error.type === "max-buffer-size-exceeded") return fail(tooLarge());
        // A few unknown fields or bad retry values are skipped, as the SSE spec says.
        if (++junk > MAX_JUNK_LINES) {
          fail(new UpstreamError(`${name} streamed something that is not Server-Sent Events`, "protocol", { status: res.status, retryable: true }));
        }
      },
    });

    function tooLarge(): UpstreamError {
      return new UpstreamError(`${name} streamed more than ${maxBytes} bytes`, "protocol", { status: res.status, retryable: true });
    }

    function onData(chunk: Buffer): void {
      if (settled) return;
      bytes += chunk.length;
      if (bytes > maxBytes) return fail(tooLarge());
      try {
        parser.feed(decoder.decode(chunk, { stream: true }));
      } catch (error) {
        fail(error);
      }
    }

    function onEnd(): void {
      if (settled) return;
      settled = true;
      detach();
      resolve({ complete: false, events });
    }

    function onError(error: unknown): void {
      fail(error);
    }

    function detach(): void {
      if (idle) clearTimeout(idle);
      body.off("data", onData);
      body.off("end", onEnd);
      body.off("error", onError);
      body.on("error", ignore); // a late socket error must not become an unhandled 'error' event
    }

    function fail(error: unknown): void {
      if (settled) return;
      settled = true;
      detach();
      body.destroy();
      reject(failure(error, opts, "stream", res.status));
    }

    function complete(): void {
      settled = true;
      detach();
      resolve({ complete: true, events });
      release(res);
    }

    body.on("data", onData);
    body.once("end", onEnd);
    body.once("error", onError);
  });
}

function ignore(): void {}

/** Lets a finished response run to its end in the background so its socket can be reused. */
function release(res: UpstreamResponse): void {
  const { body } = res;
  if (body.readableEnded || body.destroyed) return;
  let drained = 0;
  const timer = setTimeout(() => body.destroy(), DRAIN_MS);
  timer.unref();
  body.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) body.destroy();
  });
  body.once("close", () => clearTimeout(timer));
  body.resume();
}

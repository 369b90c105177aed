/**
 * Keeps the gateway's snapshot current. Postgres triggers (migration gateway_config_notify) send
 * NOTIFY helix_config whenever a route, target, agent, skill or API key changes; this store LISTENs
 * on a dedicated connection and reloads shortly after (a few notifications in a burst cause one
 * reload). When the connection drops it reconnects with back-off and reloads once back (changes may
 * have been missed meanwhile); a periodic reload is the safety net. A failed reload keeps the last
 * good snapshot: the gateway goes on serving when Postgres is unreachable.
 */
import pg from "pg";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { emptySnapshot, loadSnapshot } from "./snapshot";
import type { Snapshot } from "./types";

export const CONFIG_CHANNEL = "helix_config";

export interface ConfigStoreOptions {
  databaseUrl: string;
  db: PrismaClient;
  /** Quiet period after a notification before reloading (coalesces bursts). */
  debounceMs?: number;
  /** Safety-net reload interval. */
  refreshIntervalMs?: number;
  log?: (message: string) => void;
}

export class ConfigStore {
  current: Snapshot = emptySnapshot();
  /** True once a snapshot has been loaded (then /readyz is 200 even if Postgres goes away). */
  ready = false;
  reloads = 0;
  lastError: string | null = null;
  /** Whether the LISTEN connection is up (a change made now reaches us within the debounce). */
  listening = false;

  private client: pg.Client | null = null;
  private closed = false;
  private reloadTimer: NodeJS.Timeout | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelayMs = 250;
  private reloading: Promise<void> | null = null;
  private reloadAgain = false;
  private readonly listeners = new Set<(snapshot: Snapshot) => void>();

  constructor(private readonly opts: ConfigStoreOptions) {}

  private log(message: string) {
    (this.opts.log ?? ((m: string) => console.log(`gateway: ${m}`)))(message);
  }

  /** Loads the first snapshot (retrying in the background if Postgres is not there yet) and starts listening. */
  async start(): Promise<void> {
    await this.connectListener();
    await this.reload();
    this.refreshTimer = setInterval(() => this.scheduleReload(0), this.opts.refreshIntervalMs ?? 60_000);
    this.refreshTimer.unref();
  }

  onChange(listener: (snapshot: Snapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reloads now; concurrent calls share the reload in flight and queue at most one more. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      do {
        this.reloadAgain = false;
        try {
          const next = await loadSnapshot(this.opts.db, { warn: (m) => this.log(m) });
          this.current = next;
          this.ready = true;
          this.reloads++;
          this.lastError = null;
          for (const listener of this.listeners) listener(next);
        } catch (error) {
          this.lastError = error instanceof Error ? error.message.split("\n").slice(-1)[0]! : String(error);
          this.log(`config reload failed, serving the last snapshot: ${this.lastError}`);
          if (!this.ready) this.scheduleReload(1_000);
        }
      } while (this.reloadAgain && !this.closed);
    })().finally(() => {
      this.reloading = null;
    });
    return this.reloading;
  }

  private scheduleReload(delayMs = this.opts.debounceMs ?? 20) {
    if (this.closed || this.reloadTimer) return;
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      void this.reload();
    }, delayMs);
    this.reloadTimer.unref();
  }

  private async connectListener(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.opts.databaseUrl, connectionTimeoutMillis: 5_000, keepAlive: true });
    const lost = (reason: string) => {
      if (this.client !== client) return;
      this.client = null;
      this.listening = false;
      client.removeAllListeners("notification");
      client.end().catch(() => {});
      if (this.closed) return;
      this.log(`config listener lost (${reason}); reconnecting`);
      this.scheduleReconnect();
    };
    client.on("error", (error) => lost(error.message));
    client.on("end", () => lost("connection closed"));
    client.on("notification", (message) => {
      if (message.channel === CONFIG_CHANNEL) this.scheduleReload();
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CONFIG_CHANNEL}`);
      this.listening = true;
      if (this.reconnectDelayMs > 250) {
        // Back after an outage: catch up on whatever changed while we could not hear.
        this.scheduleReload(0);
      }
      this.reconnectDelayMs = 250;
    } catch (error) {
      lost(error instanceof Error ? error.message : String(error));
    }
  }

  private scheduleReconnect() {
    if (this.closed || this.reconnectTimer) return;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 5_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connectListener();
    }, delay);
    this.reconnectTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of [this.reloadTimer, this.refreshTimer, this.reconnectTimer]) if (timer) clearTimeout(timer);
    const client = this.client;
    this.client = null;
    this.listening = false;
    await client?.end().catch(() => {});
    await this.reloading?.catch(() => {});
  }
}

/**
 * The upstream, the bare proxy and the gateway each run in a child process of their own, so each
 * has its own event loop and none of them shares one with the load generator. A child prints one
 * line `READY <url>` when it listens; the parent can ask it for its CPU time over IPC (which is how
 * the results can say what each request cost the process that served it), and ends it with SIGTERM.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const READY = "READY ";
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface CpuTime {
  /** user + system CPU time, milliseconds */
  cpuMs: number;
}

export interface Child {
  name: string;
  url: string;
  pid: number;
  cpuTime(): Promise<CpuTime>;
  stop(): Promise<void>;
}

/**
 * Starts `node [nodeArgs] --import tsx <file>` (file relative to this folder) and resolves once the
 * child reports the URL it listens on.
 */
export async function startChild(
  name: string,
  file: string,
  env: Record<string, string> = {},
  opts: { nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<Child> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), "--import", "tsx", fileURLToPath(new URL(file, import.meta.url))], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms`)), timeoutMs);
    const lines = createInterface({ input: proc.stdout! });
    lines.on("line", (line) => {
      if (line.startsWith(READY)) {
        clearTimeout(timer);
        resolve(line.slice(READY.length).trim());
      } else {
        console.log(`[${name}] ${line}`);
      }
    });
    proc.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
  return { name, url, pid: proc.pid!, cpuTime: () => askCpuTime(proc), stop: () => stopChild(proc) };
}

function askCpuTime(proc: ChildProcess): Promise<CpuTime> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (message && typeof message === "object" && "cpuMs" in message) {
        proc.off("message", onMessage);
        resolve({ cpuMs: Number((message as CpuTime).cpuMs) });
      }
    };
    proc.on("message", onMessage);
    proc.send("cpu", (error) => {
      if (error) {
        proc.off("message", onMessage);
        reject(error);
      }
    });
  });
}

function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    proc.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill("SIGTERM");
  });
}

/**
 * Child side: announce the URL, answer CPU-time questions, and run `close` on SIGTERM (or when the
 * parent goes away) before exiting.
 */
export function serveAsChild(url: string, close: () => Promise<void>): void {
  process.on("message", (message) => {
    if (message === "cpu") {
      const usage = process.cpuUsage();
      process.send?.({ cpuMs: (usage.user + usage.system) / 1000 });
    }
  });
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("disconnect", shutdown);
  process.stdout.write(`${READY}${url}\n`);
}

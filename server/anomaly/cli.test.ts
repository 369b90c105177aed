import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "server/anomaly/cli.ts", ...args], { cwd: root, input, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("anomaly CLI", () => {
  it("scores a CSV file (header, ISO and epoch timestamps) and forecasts", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "anomaly-cli-"));
    const file = path.join(dir, "data.csv");
    const start = Date.UTC(2026, 0, 5) / 1000;
    const rows = ["timestamp,value", "2026-01-05T00:00:00Z,10"];
    for (let i = 1; i < 200; i++) rows.push(`${start + i * 60},${10 + (i % 3)}`);
    writeFileSync(file, rows.join("\n") + "\n");
    const r = run([file, "--sensitivity", "0.5", "--period", "1", "--seasonality", "daily", "--forecast", "3", "--warmup-ignored"]);
    // Unknown options are refused with exit code 2.
    expect(r.code).toBe(2);
    const ok = run([file, "--sensitivity", "0.5", "--seasonality", "daily", "--forecast", "3"]);
    expect(ok.err).toBe("");
    expect(ok.code).toBe(0);
    const lines = ok.out.trim().split("\n");
    expect(lines[0]).toBe("timestamp,value,score,anomaly");
    expect(lines[1]).toMatch(/^2026-01-05T00:00:00Z,10,0\.\d{4},0$/);
    expect(lines[201]).toBe("timestamp,expected,lower,upper");
    expect(lines.slice(1, 201).every((l) => /^[^,]+,[\d.]+,[01]\.\d{4},[01]$/.test(l))).toBe(true);
    expect(lines.slice(202)).toHaveLength(3);
    expect(lines[202]).toMatch(/^2026-01-05T03:20:00\.000Z,/);
  });

  it("reads stdin and rejects a bad line with exit code 2, naming the line, without a stack trace", () => {
    const r = run([], "2026-01-05T00:00:00Z,1\n2026-01-05T00:01:00Z,abc\n");
    expect(r.code).toBe(2);
    expect(r.err).toContain("line 2");
    expect(r.err).not.toMatch(/\bat .+:\d+:\d+/);
    expect(run([], "1767571200,1,2\n").err).toContain("line 1");
    expect(run(["--sensitivity", "2"], "").code).toBe(2);
    expect(run(["/nonexistent/file.csv"]).code).toBe(2);
  });
});

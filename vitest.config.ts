import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const alias = { "@": root };

// Test kinds by suffix: `*.server.test.ts` run against Postgres (DATABASE_URL, a fresh database
// per run made by `npm test`); every other `*.test.ts` is a unit test without a database (it may
// start loopback servers of its own, such as the demo fleet).
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: ["**/*.server.test.ts", "node_modules/**", "e2e/**", ".next/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "server",
          include: ["**/*.server.test.ts"],
          exclude: ["node_modules/**", "e2e/**", ".next/**"],
          environment: "node",
          setupFiles: ["server/test/setup.server.ts"],
          // One database for the run; test files run one at a time so row counts stay meaningful.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

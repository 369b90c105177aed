import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

import {
  APP_PORT,
  APP_URL,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  FLEET_BASE_PORT,
  FLEET_CONTROL_URL,
  IDP_CLIENT_ID,
  IDP_CLIENT_SECRET,
  IDP_DISPLAY_NAME,
  IDP_ISSUER,
} from './e2e/idp/constants.mjs';
import { GATEWAY_PORT, GATEWAY_URL } from './e2e/support/gateway';

// The app must run against the fresh, migrated database that `npm test` creates for each run;
// never fall back to a developer's database.
if (!process.env.DATABASE_URL) {
  throw new Error('DATABASE_URL is not set. Run the e2e suite with `npm test`, which creates a fresh migrated database.');
}

const CI = Boolean(process.env.CI);
// webServer env replaces the child's environment, so carry over everything that is set.
const inheritedEnv = Object.fromEntries(
  Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
);
// The app and the gateway must agree on these: the gateway checks the console tokens the app signs
// and decrypts the agent credentials the app stored.
const sharedSecrets = {
  AUTH_SECRET: process.env.AUTH_SECRET || 'e2e-only-auth-secret-not-for-production-0123456789',
  HELIX_ENCRYPTION_KEY: process.env.HELIX_ENCRYPTION_KEY || Buffer.from('e2e-only-encryption-key-32-bytes').toString('base64'),
};
// Telemetry the gateway could not write yet is spooled here: one directory per test database,
// so a run never replays an earlier run's records.
const gatewaySpoolDir = path.join(os.tmpdir(), `helix-e2e-gateway-spool-${new URL(process.env.DATABASE_URL).pathname.slice(1) || 'db'}`);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // 2 cores and one shared database: run tests one at a time, and never retry until green.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL: APP_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      // Debian's chromium: Playwright's own browser download does not work offline.
      use: { browserName: 'chromium', launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } },
    },
  ],
  webServer: [
    {
      name: 'IdP',
      command: 'node e2e/idp/server.mjs',
      url: `${IDP_ISSUER}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: !CI,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
    {
      name: 'fleet',
      // The demo agents the agent specs register: real OpenAI, A2A and MCP servers on loopback.
      command: 'node --import tsx fleet/main.ts',
      url: `${FLEET_CONTROL_URL}/agents`,
      timeout: 30_000,
      reuseExistingServer: !CI,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      env: { ...inheritedEnv, FLEET_BASE_PORT: String(FLEET_BASE_PORT) },
    },
    {
      name: 'gateway',
      command: 'node --import tsx server/gateway/main.ts',
      url: `${GATEWAY_URL}/readyz`,
      timeout: 60_000,
      reuseExistingServer: !CI,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      env: {
        ...inheritedEnv,
        ...sharedSecrets,
        HELIX_GATEWAY_PORT: String(GATEWAY_PORT),
        HELIX_GATEWAY_HOST: '127.0.0.1',
        HELIX_GATEWAY_SPOOL_DIR: gatewaySpoolDir,
      },
    },
    {
      name: 'app',
      // The production build is made beforehand by `npm test`.
      command: `npx next start -p ${APP_PORT} -H localhost`,
      url: `${APP_URL}/api/health`,
      timeout: 120_000,
      reuseExistingServer: !CI,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      env: {
        ...inheritedEnv,
        AUTH_URL: APP_URL,
        AUTH_TRUST_HOST: 'true',
        ...sharedSecrets,
        HELIX_GATEWAY_URL: GATEWAY_URL,
        AUTH_OIDC_ISSUER: IDP_ISSUER,
        AUTH_OIDC_CLIENT_ID: IDP_CLIENT_ID,
        AUTH_OIDC_CLIENT_SECRET: IDP_CLIENT_SECRET,
        AUTH_OIDC_NAME: IDP_DISPLAY_NAME,
        HELIX_ALLOW_SIGNUP: 'false',
      },
    },
  ],
});

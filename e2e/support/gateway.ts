// The gateway under test: playwright.config.ts starts it, the specs call it. One definition of
// where it listens, so the two cannot drift.

export const GATEWAY_PORT = Number(process.env.E2E_GATEWAY_PORT || 3180);
export const GATEWAY_URL = `http://127.0.0.1:${GATEWAY_PORT}`;

// Shared by playwright.config.ts, the IdP (server.mjs), its selfcheck and the specs,
// so ports, issuer and client credentials cannot drift. Types: constants.d.mts.
// Every value can be overridden through the env var of the same name; Playwright
// passes its env to the IdP it starts, so both sides always agree.

/** The app under test (`next start -H localhost`: Auth.js callbacks need `localhost`, see STACK.md). */
export const APP_PORT = 3100;
export const APP_URL = `http://localhost:${APP_PORT}`;

/** The demo fleet the agent specs register (control API one port below the first agent). */
export const FLEET_BASE_PORT = Number(process.env.E2E_FLEET_BASE_PORT || 4200);
export const FLEET_CONTROL_URL = `http://127.0.0.1:${FLEET_BASE_PORT - 1}`;

export const IDP_HOST = '127.0.0.1';
export const IDP_PORT = Number(process.env.IDP_PORT || 9400);
export const IDP_ISSUER = `http://${IDP_HOST}:${IDP_PORT}`;
export const IDP_CLIENT_ID = process.env.IDP_CLIENT_ID || 'helix-e2e';
export const IDP_CLIENT_SECRET = process.env.IDP_CLIENT_SECRET || 'helix-e2e-secret';
/** Auth.js callback for a provider with id "oidc". */
export const IDP_REDIRECT_URIS = (process.env.IDP_REDIRECT_URIS || `${APP_URL}/api/auth/callback/oidc`)
  .split(',').map((uri) => uri.trim()).filter(Boolean);
/** The provider's display name in the app (AUTH_OIDC_NAME): its button reads "Sign in with Test IdP". */
export const IDP_DISPLAY_NAME = 'Test IdP';

/** Emails of logins without "@" end in this domain. */
export const IDP_EMAIL_DOMAIN = 'idp.example.test';
/** Logins starting with this prefix get `email_verified: false`. */
export const IDP_UNVERIFIED_PREFIX = 'unverified-';

/**
 * The claims the IdP issues for a login typed on its sign-in page (the login is the account id).
 * @param {string} login
 */
export function idpClaimsFor(login) {
  const local = login.split('@')[0] || login;
  const name = local.split(/[._+-]+/).filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1)).join(' ') || login;
  return {
    sub: login,
    email: login.includes('@') ? login : `${login}@${IDP_EMAIL_DOMAIN}`,
    email_verified: !login.startsWith(IDP_UNVERIFIED_PREFIX),
    name,
  };
}

/**
 * oidc-provider's built-in dev interaction pages (node_modules/oidc-provider/lib/views/*.js).
 * Sign-in page (<h1>Sign-in</h1>, URL `${IDP_ISSUER}/interaction/<uid>`): both fields are `required`,
 * any password is accepted. There is no consent page: server.mjs grants this client automatically.
 */
export const IDP_SELECTORS = {
  loginInput: 'input[name="login"]',
  passwordInput: 'input[name="password"]',
  /** <button type="submit" class="login login-submit">Sign-in</button> */
  submitButton: 'button.login-submit',
  /** "[ Cancel ]" link: aborts, the app gets `error=access_denied`. */
  cancelLink: 'a[href$="/abort"]',
};

/** Debian's chromium (Playwright cannot download browsers here) and the flags that keep it quiet offline. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

// Local OpenID Connect identity provider for the e2e suite (oidc-provider, in memory, plain HTTP).
// Run: node e2e/idp/server.mjs   (env: IDP_PORT, IDP_CLIENT_ID, IDP_CLIENT_SECRET, IDP_REDIRECT_URIS)
//
// Driving it from a browser (oidc-provider's built-in dev interactions, lib/views/login.js):
//   - every authorization request shows the sign-in page at `${IDP_ISSUER}/interaction/<uid>`,
//     <h1>Sign-in</h1>, even if the browser already signed in here (see `freshLogin`);
//   - fill  input[name="login"]     the account id: "alice@example.com", "bob", "unverified-carol";
//   - fill  input[name="password"]  anything (required by the form, never checked);
//   - click button.login-submit     text "Sign-in" (type=submit);
//   - no consent page: this client is granted what it asks for (`loadExistingGrant`), so the
//     browser is redirected straight back to the redirect_uri with ?code=…&state=…&iss=…
//   - "[ Cancel ]" (a[href$="/abort"]) sends the user back with error=access_denied.
// The same selectors are exported as IDP_SELECTORS from constants.mjs.
//
// Claims (idpClaimsFor in constants.mjs): sub = login; email = login if it has "@", else
// `${login}@idp.example.test`; email_verified = false only for logins starting "unverified-";
// name from the login's local part ("alice.smith" -> "Alice Smith").

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import {
  IDP_CLIENT_ID,
  IDP_CLIENT_SECRET,
  IDP_HOST,
  IDP_ISSUER,
  IDP_PORT,
  IDP_REDIRECT_URIS,
  idpClaimsFor,
} from './constants.mjs';

// oidc-provider warns loudly about its development conveniences, which is exactly what we use.
// Drop those known lines only; any other warning still shows. Must run before the import below.
const EXPECTED_DEV_WARNINGS = [
  'Unsupported runtime', // wants Node 22; works on 20 (STACK.md)
  'in-memory adapter',
  'devInteractions is enabled',
];
const warn = console.warn;
console.warn = (...args) => {
  const line = String(args[0]);
  if (line.includes('oidc-provider WARNING') && EXPECTED_DEV_WARNINGS.some((s) => line.includes(s))) return;
  warn(...args);
};
const { default: Provider, interactionPolicy } = await import('oidc-provider');

const { Check } = interactionPolicy;
const policy = interactionPolicy.base();
// Ask for the login on every authorization request, so a spec can sign in as another user in
// the same browser context and always meets the same page. The check passes once this
// interaction's login has been submitted (same idea as the built-in max_age check).
policy.get('login').checks.add(new Check('fresh_login', 'every authorization signs in again', (ctx) =>
  (ctx.oidc.result?.login ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT)));

const provider = new Provider(IDP_ISSUER, {
  clients: [{
    client_id: IDP_CLIENT_ID,
    client_secret: IDP_CLIENT_SECRET,
    redirect_uris: IDP_REDIRECT_URIS,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    // client_secret_post is accepted as well: oidc-provider treats the two as interchangeable.
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  // A fresh signing key per run instead of the library's published development key.
  jwks: { keys: [generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // Put the scope-granted claims in the ID token too; Auth.js reads the profile from it.
  conformIdTokenClaims: false,
  responseTypes: ['code'],
  scopes: ['openid', 'email', 'profile'],
  features: { devInteractions: { enabled: true } },
  interactions: { policy },
  // No consent page: grant this (only) client the OIDC scopes and claims it requests.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.account.accountId,
    });
    grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
    grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
    await grant.save();
    return grant;
  },
  async findAccount(_ctx, accountId) {
    return { accountId, claims: () => idpClaimsFor(accountId) };
  },
  // Explicit TTLs (seconds) also keep the "you SHOULD change" notices away.
  ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><title>IdP error</title><h1>IdP error</h1><pre>${escapeHtml(JSON.stringify(out, null, 2))}</pre>`;
  },
});

// The dev pages @import a Google font; strip it so the browser never leaves this machine.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path.startsWith('/interaction/') && typeof ctx.body === 'string') {
    ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);/g, '');
  }
});

// Say why a sign-in failed; the e2e log is otherwise silent about the IdP side.
for (const event of ['authorization.error', 'grant.error', 'server_error', 'userinfo.error']) {
  provider.on(event, (ctx, err) => {
    console.error(`IdP ${event}: ${err.name} ${err.message}${err.error_detail ? ` (${err.error_detail})` : ''}`);
  });
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const server = createServer(provider.callback());
server.on('error', (err) => {
  console.error(`IdP could not listen on ${IDP_HOST}:${IDP_PORT}: ${err.message}`);
  process.exit(1);
});
server.listen(IDP_PORT, IDP_HOST, () => console.log(`IdP ready at ${IDP_ISSUER}`));

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // keep-alive sockets would hold close() open
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

// Self-test of the e2e IdP: starts server.mjs, checks discovery, then runs real authorization-code
// + PKCE round trips in headless Chromium against a throwaway callback server on the redirect URI's
// port (3100), exchanges the codes at the token endpoint and checks the ID token claims.
// Run: node e2e/idp/selfcheck.mjs   (exit code 1 on any failure; needs ports 9400 and 3100 free)

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

import { chromium } from '@playwright/test';

import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  IDP_CLIENT_ID,
  IDP_CLIENT_SECRET,
  IDP_ISSUER,
  IDP_REDIRECT_URIS,
  IDP_SELECTORS,
  idpClaimsFor,
} from './constants.mjs';

const REDIRECT_URI = IDP_REDIRECT_URIS[0];
let failures = 0;

function check(label, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}${!ok && detail !== undefined ? ` — got ${JSON.stringify(detail)}` : ''}`);
  if (!ok) failures += 1;
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const decodeJwt = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

async function startIdp() {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./server.mjs', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.on('data', (d) => process.stderr.write(`[idp] ${d}`));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('IdP not ready within 15 s')), 15_000);
    child.once('exit', (code) => reject(new Error(`IdP exited early with code ${code}`)));
    child.stdout.on('data', (d) => {
      process.stdout.write(`[idp] ${d}`);
      if (String(d).includes(`IdP ready at ${IDP_ISSUER}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return child;
}

// Browser part of the flow: authorization request -> IdP sign-in page -> back at the redirect URI.
async function authorize(page, discovery, login) {
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const nonce = b64url(randomBytes(16));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: IDP_CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  }).toString();

  await page.goto(url.href);
  await page.waitForURL(`${IDP_ISSUER}/interaction/**`);
  check(`[${login}] IdP sign-in page shown`, (await page.locator('h1').textContent()) === 'Sign-in');
  await page.fill(IDP_SELECTORS.loginInput, login);
  await page.fill(IDP_SELECTORS.passwordInput, 'any-password');
  await page.click(IDP_SELECTORS.submitButton);
  await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));

  const params = new URL(page.url()).searchParams;
  check(`[${login}] redirected back with a code`, Boolean(params.get('code')), Object.fromEntries(params));
  check(`[${login}] state echoed`, params.get('state') === state);
  check(`[${login}] iss in response`, params.get('iss') === IDP_ISSUER, params.get('iss'));
  return { code: params.get('code'), verifier, nonce };
}

async function exchange(discovery, { code, verifier }, { auth = 'basic', secret = IDP_CLIENT_SECRET } = {}) {
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth === 'basic') {
    // RFC 6749 §2.3.1: form-urlencode both parts before base64 (what Auth.js does too).
    headers.authorization = `Basic ${btoa(`${encodeURIComponent(IDP_CLIENT_ID)}:${encodeURIComponent(secret)}`)}`;
  } else {
    body.set('client_id', IDP_CLIENT_ID);
    body.set('client_secret', secret);
  }
  const res = await fetch(discovery.token_endpoint, { method: 'POST', headers, body });
  return { status: res.status, json: await res.json() };
}

function checkIdToken(login, tokens, nonce) {
  const claims = decodeJwt(tokens.id_token);
  const expected = idpClaimsFor(login);
  check(`[${login}] ID token iss/aud/nonce`,
    claims.iss === IDP_ISSUER && claims.aud === IDP_CLIENT_ID && claims.nonce === nonce, claims);
  for (const name of ['sub', 'email', 'email_verified', 'name']) {
    check(`[${login}] ID token ${name} = ${JSON.stringify(expected[name])}`, claims[name] === expected[name], claims[name]);
  }
}

const callbackPort = Number(new URL(REDIRECT_URI).port || 80);
const callbackServer = createServer((_req, res) => res.end('callback received'));
let idp;
let browser;
try {
  idp = await startIdp();
  await once(callbackServer.listen(callbackPort, 'localhost'), 'listening');

  const discovery = await (await fetch(`${IDP_ISSUER}/.well-known/openid-configuration`)).json();
  check('discovery issuer', discovery.issuer === IDP_ISSUER, discovery.issuer);
  check('discovery: client_secret_basic and client_secret_post',
    ['client_secret_basic', 'client_secret_post'].every((m) => discovery.token_endpoint_auth_methods_supported.includes(m)));
  check('discovery: PKCE S256', discovery.code_challenge_methods_supported.includes('S256'));
  check('discovery: email, email_verified, name claims',
    ['email', 'email_verified', 'name'].every((c) => discovery.claims_supported.includes(c)));

  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  const offHost = [];
  page.on('request', (r) => {
    if (!['127.0.0.1', 'localhost'].includes(new URL(r.url()).hostname)) offHost.push(r.url());
  });

  // 1. verified email, client_secret_basic (Auth.js's default), then replay of the used code.
  const alice = await authorize(page, discovery, 'alice@example.com');
  const t1 = await exchange(discovery, alice, { auth: 'basic' });
  check('[alice@example.com] token exchange with client_secret_basic', t1.status === 200 && t1.json.id_token, t1);
  if (t1.json.id_token) checkIdToken('alice@example.com', t1.json, alice.nonce);
  const replay = await exchange(discovery, alice);
  check('used code is rejected', replay.status === 400 && replay.json.error === 'invalid_grant', replay);

  // 2. same browser (IdP session cookie present): sign-in page again; unverified; client_secret_post.
  const bob = await authorize(page, discovery, 'unverified-bob');
  const t2 = await exchange(discovery, bob, { auth: 'post' });
  check('[unverified-bob] token exchange with client_secret_post', t2.status === 200 && t2.json.id_token, t2);
  if (t2.json.id_token) checkIdToken('unverified-bob', t2.json, bob.nonce);

  // 3. wrong secret and wrong PKCE verifier are refused.
  const carol = await authorize(page, discovery, 'carol.smith');
  const badSecret = await exchange(discovery, carol, { secret: 'wrong' });
  check('wrong client secret is rejected', badSecret.status === 401 && badSecret.json.error === 'invalid_client', badSecret);
  const badPkce = await exchange(discovery, { ...carol, verifier: b64url(randomBytes(32)) });
  check('wrong PKCE verifier is rejected', badPkce.status === 400 && badPkce.json.error === 'invalid_grant', badPkce);

  check('browser made no requests off this machine', offHost.length === 0, offHost);
} catch (err) {
  check(`selfcheck ran to the end (${err.message})`, false);
} finally {
  await browser?.close();
  callbackServer.close();
  if (idp && idp.exitCode === null) {
    idp.kill('SIGTERM');
    const timer = setTimeout(() => idp.kill('SIGKILL'), 5_000);
    const [code, signal] = await once(idp, 'exit');
    clearTimeout(timer);
    check('IdP exits cleanly on SIGTERM', code === 0, { code, signal });
  }
}

console.log(failures ? `selfcheck FAILED (${failures})` : 'selfcheck passed');
process.exit(failures ? 1 : 0);

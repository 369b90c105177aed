// Spec helper: complete the sign-in on the e2e IdP once the app has sent the browser there
// (e.g. after clicking "Sign in with Test IdP"). Returns when the browser has left the IdP.
import { expect, type Page } from '@playwright/test';

import { IDP_ISSUER, IDP_SELECTORS } from './constants.mjs';

export async function signInAtIdp(page: Page, login: string): Promise<void> {
  await page.waitForURL(`${IDP_ISSUER}/interaction/**`);
  await expect(page.locator('h1')).toHaveText('Sign-in');
  await page.fill(IDP_SELECTORS.loginInput, login);
  await page.fill(IDP_SELECTORS.passwordInput, 'any-password'); // required by the form, never checked
  await page.click(IDP_SELECTORS.submitButton);
  await page.waitForURL((url) => !url.href.startsWith(IDP_ISSUER));
}

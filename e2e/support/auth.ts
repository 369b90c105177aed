import { expect, type Page } from "@playwright/test";
import { IDP_DISPLAY_NAME } from "../idp/constants.mjs";
import { signInAtIdp } from "../idp/login";

export async function signInWithPassword(page: Page, email: string, password: string, path = "/signin") {
  await page.goto(path);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/\/signin/);
}

/** The real OIDC round trip: the app's button → the local IdP's login page → back, signed in. */
export async function signInWithIdp(page: Page, login: string, path = "/signin") {
  await page.goto(path);
  await page.getByRole("button", { name: `Continue with ${IDP_DISPLAY_NAME}` }).click();
  await signInAtIdp(page, login);
}

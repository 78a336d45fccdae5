// Shared helpers of the end-to-end tests: the demo admin's sign-in and Retell's signature.
import { expect, Page, APIRequestContext } from "@playwright/test";
import { createHmac } from "node:crypto";

export const email = process.env.SLOTLINE_E2E_EMAIL ?? "demo@slotline.local";
export const password = process.env.SLOTLINE_E2E_PASSWORD ?? "";
const retellKey = process.env.SLOTLINE_E2E_RETELL_KEY ?? "";

/** Signs in as the demo admin and waits for the signed-in frame. */
export async function signIn(page: Page) {
  await signInAs(page, { email, password });
}

/**
 * Signs in with these credentials, waits for the signed-in frame and makes sure the UI is in
 * `language` (default English, which the specs' sentences are written in): an admin's
 * language is remembered per user, so the switch is pressed when it differs.
 */
export async function signInAs(
  page: Page,
  who: { email: string; password: string },
  language: "de" | "en" = "en",
) {
  await page.goto("/admin/login");
  await page.locator('input[name="email"]').fill(who.email);
  await page.locator('input[name="password"]').fill(who.password);
  await page.locator('button[type="submit"]').click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(who.email);
  await useLanguage(page, language);
}

/** Switches the signed-in UI to `language` (remembered for the admin) and waits for it. */
export async function useLanguage(page: Page, language: "de" | "en") {
  const button = page.getByTestId("language-switch").locator(`[data-language="${language}"]`).first();
  await expect(button).toBeEnabled();
  if ((await button.getAttribute("aria-pressed")) !== "true") {
    await button.click();
  }
  await expect(button).toHaveAttribute("aria-pressed", "true");
  // The frame's own words have switched (the page's follow from the same signal).
  const signOut = language === "de" ? "Abmelden" : "Sign out";
  await expect(page.getByRole("button", { name: signOut, exact: true })).toBeVisible();
}

/** Signs a body exactly as Retell does: v=<ms>,d=hex(hmac_sha256(key, body + ms)). */
export function sign(body: string): string {
  const ts = Date.now();
  const digest = createHmac("sha256", retellKey).update(body + String(ts)).digest("hex");
  return `v=${ts},d=${digest}`;
}

/** Posts a payload signed exactly as Retell signs it. */
export async function signed(request: APIRequestContext, path: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return request.post(path, {
    data: body,
    headers: { "content-type": "application/json", "x-retell-signature": sign(body) },
  });
}

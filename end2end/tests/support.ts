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

/** Signs in with these credentials and waits for the signed-in frame. */
export async function signInAs(page: Page, who: { email: string; password: string }) {
  await page.goto("/admin/login");
  await page.getByLabel("E-mail").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(who.email);
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

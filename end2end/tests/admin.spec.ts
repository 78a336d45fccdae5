import { test, expect } from "@playwright/test";
import { email, signIn } from "./support";

test("an anonymous visitor is sent to the login page", async ({ page }) => {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/login$/);
  await expect(page.getByRole("heading", { name: "Sign in to Slotline" })).toBeVisible();
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/admin/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill("definitely-not-it");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("e-mail or password is wrong");
});

test("the demo admin signs in and sees the dashboard with the tenant's data", async ({ page }) => {
  await signIn(page);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByText("Salon Sonnenschein").first()).toBeVisible();
  await expect(page.getByTestId("webhook-url")).toContainText("/api/webhooks/retell");
});

test("settings save through the hydrated app and persist", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/admin\/settings$/);
  // Type only once the app is live (Save is enabled then), as hydration sets the fields.
  await expect(page.getByRole("button", { name: "Save" })).toBeEnabled();

  // An unknown zone is refused with the field named; nothing is stored.
  await page.getByLabel("Time zone (IANA)").fill("Mars/Olympus");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert")).toContainText("time_zone");

  await page.getByLabel("Time zone (IANA)").fill("Europe/Vienna");
  await page.locator('select[name="locale"]').selectOption("en");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");

  await page.reload();
  await expect(page.getByLabel("Time zone (IANA)")).toHaveValue("Europe/Vienna");
  await expect(page.locator('select[name="locale"]')).toHaveValue("en");
  await expect(page.getByRole("button", { name: "Save" })).toBeEnabled();

  // Put the demo back the way it was.
  await page.getByLabel("Time zone (IANA)").fill("Europe/Berlin");
  await page.locator('select[name="locale"]').selectOption("de");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
});

test("the menu button toggles the navigation on a phone-sized screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  // A slow phone: the WASM app arrives well after the page. A tap must not be lost meanwhile.
  await page.route("**/pkg/*.wasm", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await signIn(page);
  const nav = page.locator("#main-nav");
  await expect(nav).toBeHidden();
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(nav).toBeVisible();
  await nav.getByRole("link", { name: "Calls" }).click();
  await expect(page.getByRole("heading", { name: "Calls" })).toBeVisible();
});

test("the monitoring page shows the gateway healthy with every server", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Monitoring" }).click();
  await expect(page.getByRole("heading", { name: "Monitoring" })).toBeVisible();
  await expect(page.getByTestId("overall-status")).toContainText("healthy");
  await expect(page.locator('tr[data-health-row="Database"]')).toContainText("up");
  for (const server of ["AppointmentManagement", "RetellCustomFunction", "RetellConfiguration"]) {
    await expect(page.locator(`tr[data-health-row="${server}"]`)).toContainText("closed");
  }
});

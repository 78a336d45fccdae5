// German and English (issue #13): the UI is German by default, the switch turns every visible
// string of each page to German and back, the choice is remembered for the admin, and a
// screenshot of each page in both languages is kept (end2end/screenshots/, also attached to
// the Playwright report).
import { test, expect, Page, TestInfo } from "@playwright/test";
import { readdirSync, readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { email, password, signInAs, useLanguage } from "./support";

const LOCALES = join(__dirname, "..", "..", "app", "locales");
const SHOTS = join(__dirname, "..", "screenshots");

/** Every plain (not interpolated) string of one language's catalogue. */
function catalogue(lang: "de" | "en"): Set<string> {
  const out = new Set<string>();
  for (const file of readdirSync(join(LOCALES, lang))) {
    const entries = JSON.parse(readFileSync(join(LOCALES, lang, file), "utf8"));
    for (const value of Object.values(entries)) {
      if (typeof value === "string" && !value.includes("{{") && !value.includes("<")) {
        out.add(value.trim());
      }
    }
  }
  return out;
}

const german = catalogue("de");
const english = catalogue("en");
/** Strings that exist in only one language (the same word in both, e.g. "Dashboard", says nothing). */
const onlyGerman = [...german].filter((s) => !english.has(s));
const onlyEnglish = [...english].filter((s) => !german.has(s));

/**
 * The text a person sees: visible text nodes, placeholders and accessible labels; identifiers
 * marked `translate="no"` (a server's name, say) are the same in every language.
 */
async function visibleStrings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen: string[] = [];
    const visible = (el: Element | null) =>
      !!el && (el as HTMLElement).getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node.textContent ?? "").trim();
      if (text && visible(node.parentElement) && !node.parentElement?.closest('[translate="no"]')) seen.push(text);
    }
    for (const el of Array.from(document.querySelectorAll("[placeholder], [aria-label], [title]"))) {
      if (!visible(el)) continue;
      for (const attr of ["placeholder", "aria-label", "title"]) {
        const value = el.getAttribute(attr)?.trim();
        if (value) seen.push(value);
      }
    }
    return seen;
  });
}

/** Saves and attaches a full-page screenshot. */
async function shoot(page: Page, info: TestInfo, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: "image/png" });
}

const PAGES: [string, string][] = [
  ["/admin", "dashboard"],
  ["/admin/retell-webhook", "retell-webhook"],
  ["/admin/calls", "calls"],
  ["/admin/calendar", "calendar"],
  ["/admin/appointments", "appointments"],
  ["/admin/scheduling", "scheduling"],
  ["/admin/setup", "setup"],
  ["/admin/monitoring", "monitoring"],
  ["/admin/notifications", "notifications"],
  ["/admin/api-access", "api-access"],
  ["/admin/settings", "settings"],
  ["/admin/users", "users"],
  ["/admin/password", "password"],
];

test("a visitor without a language cookie sees German", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/admin/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(page.getByRole("heading", { name: "Bei Slotline anmelden" })).toBeVisible();
  await expect(page.getByLabel("Passwort")).toBeVisible();
  await context.close();
});

/** Visits each page as `who`: English, German, English again; checks and photographs each. */
async function switchEveryPage(page: Page, info: TestInfo, who: string, pages: [string, string][]) {
  // A hydration mismatch panics the WASM app: the rest of the page stays server-rendered HTML
  // that neither switches language nor reacts to clicks. Every page must hydrate cleanly.
  const broken: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /hydration error|panicked at/i.test(m.text())) broken.push(m.text().split("\n")[0]);
  });
  for (const [path, name] of pages) {
    broken.length = 0;
    await page.goto(path);
    await expect(page.getByTestId("signed-in-as")).toHaveText(who);
    await useLanguage(page, "en");
    await page.waitForLoadState("networkidle");
    await shoot(page, info, `${name}-en`);

    await useLanguage(page, "de");
    await page.waitForLoadState("networkidle");
    expect(broken, `${path} hydrates without errors`).toEqual([]);
    const inGerman = await visibleStrings(page);
    const leftEnglish = inGerman.filter((s) => onlyEnglish.includes(s));
    expect(leftEnglish, `${path} in German still shows English`).toEqual([]);
    expect(inGerman.some((s) => onlyGerman.includes(s)), `${path} shows German`).toBe(true);
    await shoot(page, info, `${name}-de`);

    await useLanguage(page, "en");
    const inEnglish = await visibleStrings(page);
    const leftGerman = inEnglish.filter((s) => onlyGerman.includes(s));
    expect(leftGerman, `${path} in English still shows German`).toEqual([]);
  }
}

test("the switch turns every visible string of each page to German and back", async ({ page }, info) => {
  test.setTimeout(240_000);
  expect(onlyGerman.length, "the catalogues were read").toBeGreaterThan(50);
  await signInAs(page, { email, password }, "en");
  await switchEveryPage(page, info, email, PAGES);
});

test("the platform pages switch too", async ({ page }, info) => {
  const admin = {
    email: process.env.SLOTLINE_E2E_PLATFORM_EMAIL ?? "platform@e2e.test",
    password: process.env.SLOTLINE_E2E_PLATFORM_PASSWORD ?? "",
  };
  await signInAs(page, admin, "en");
  await switchEveryPage(page, info, admin.email, [
    ["/admin/platform", "platform"],
    ["/admin/password", "platform-password"],
  ]);
});

test("the chosen language is remembered for the admin on a new device", async ({ page, browser }) => {
  await signInAs(page, { email, password }, "de");
  await expect(page.getByRole("link", { name: "Einstellungen" })).toBeVisible();
  // Another browser with its own (English) cookie: signing in brings the admin's German back.
  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto("/admin/login");
  await expect(second.getByRole("heading", { name: "Sign in to Slotline" })).toBeVisible();
  await second.locator('input[name="email"]').fill(email);
  await second.locator('input[name="password"]').fill(password);
  await second.locator('button[type="submit"]').click();
  await expect(second.getByTestId("signed-in-as")).toHaveText(email);
  await expect(second.locator("html")).toHaveAttribute("lang", "de");
  await expect(second.getByRole("link", { name: "Einstellungen" })).toBeVisible();
  await other.close();
  // Leave the demo admin in English for the other specs.
  await useLanguage(page, "en");
});

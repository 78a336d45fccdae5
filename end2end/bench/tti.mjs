// `make bench`: time to interactive of /admin in Chromium, against a running release server.
// Signs in once, then opens /admin ROUNDS times in a fresh browser context (cold cache, the
// session cookie only) and reads, inside the page, the time from navigation start until the
// hydrated app enables its language switch (the first control that only hydration enables).
// Prints one JSON line: {"runs_ms":[...]}.
import { chromium } from "@playwright/test";

const [base, email, password] = process.argv.slice(2);
const ROUNDS = 7;
if (!base || !email || !password) {
  console.error("usage: node tti.mjs BASE_URL EMAIL PASSWORD");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const login = await browser.newContext();
  const page = await login.newPage();
  await page.goto(`${base}/admin/login`);
  const enabled = '[data-testid="language-switch"] button:not([disabled])';
  await page.waitForSelector(enabled, { timeout: 30000 });
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.getByTestId("signed-in-as").waitFor({ timeout: 30000 });
  const state = await login.storageState();
  await login.close();

  const runs = [];
  for (let i = 0; i < ROUNDS; i++) {
    const context = await browser.newContext({ storageState: state });
    const tab = await context.newPage();
    await tab.goto(`${base}/admin`, { waitUntil: "commit" });
    const ms = await tab.waitForFunction(
      (selector) => (document.querySelector(selector) ? performance.now() : null),
      enabled,
      { timeout: 30000, polling: "raf" },
    );
    if (!(await tab.getByTestId("signed-in-as").isVisible())) {
      throw new Error("/admin did not show the signed-in dashboard");
    }
    runs.push(Math.round(await ms.jsonValue()));
    await context.close();
  }
  console.log(JSON.stringify({ runs_ms: runs }));
} finally {
  await browser.close();
}

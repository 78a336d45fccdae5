import { test, expect, APIRequestContext, Page } from "@playwright/test";
import { sign, signIn } from "./support";

const AGENT = "agent_3f9c2a7b1d4e5f60718293a4";

/** Posts a signed call_started for a new call of the demo salon, starting now. */
async function newCall(request: APIRequestContext, callId: string) {
  const body = JSON.stringify({
    event: "call_started",
    call: {
      call_id: callId,
      agent_id: AGENT,
      from_number: "+4915112345678",
      to_number: "+493012345670",
      call_status: "ongoing",
      start_timestamp: Date.now(),
    },
  });
  const res = await request.post("/api/webhooks/retell", {
    data: body,
    headers: { "content-type": "application/json", "x-retell-signature": sign(body) },
  });
  expect(res.status()).toBe(200);
}

/** The number of calls the calls chart's summary states (0 while it shows no data). */
async function chartedCalls(page: Page): Promise<number> {
  const summary = await page.getByTestId("chart-calls").locator("p.sr-only").textContent();
  const match = /(\d+) calls/.exec(summary ?? "");
  return match ? Number(match[1]) : 0;
}

test("the calls chart shows calls after signed webhooks arrive", async ({ page, request }) => {
  const stamp = Date.now();
  await newCall(request, `call_e2e_chart_${stamp}_a`);
  await newCall(request, `call_e2e_chart_${stamp}_b`);
  await signIn(page);
  const chart = page.getByTestId("chart-calls");
  await expect(chart).toHaveAttribute("data-has-data", "true");
  await expect(chart.locator("svg[role=img]")).toHaveAttribute("aria-label", "Calls per day");
  await expect(chart.locator("svg rect").first()).toBeVisible();
  expect(await chartedCalls(page)).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId("chart-webhooks")).toHaveAttribute("data-has-data", "true");
  await expect(page.getByTestId("breakers")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("dashboard.png"), fullPage: true });

  // Rendered by the server and hydrated (not only drawn by the app after signing in).
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /hydrat|panicked/i.test(m.text())) problems.push(m.text());
  });
  await page.reload();
  await expect(page.getByRole("button", { name: "7 days" })).toBeEnabled();
  await expect(chart).toHaveAttribute("data-has-data", "true");
  expect(problems).toEqual([]);

  // A 30-day range keeps today's calls.
  await page.getByRole("button", { name: "30 days" }).click();
  await expect(page.getByRole("button", { name: "30 days" })).toHaveAttribute("aria-pressed", "true");
  await expect(chart).toHaveAttribute("data-has-data", "true");
});

test("a signed webhook sent while the dashboard is open appears without reload", async ({ page, request }) => {
  await signIn(page);
  // The server-rendered, hydrated dashboard.
  await page.goto("/admin");
  await expect(page.getByTestId("chart-calls")).toBeVisible();
  // Wait for the app to hydrate (the range buttons come alive) so the live stream is open.
  await expect(page.getByRole("button", { name: "7 days" })).toBeEnabled();
  const before = await chartedCalls(page);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  await newCall(request, `call_e2e_live_${Date.now()}`);

  await expect.poll(() => chartedCalls(page), { timeout: 10_000 }).toBeGreaterThan(before);
  // Same page, no reload: the marker survived.
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

  // The calls list updates live as well.
  await page.getByRole("link", { name: "Calls" }).click();
  const callId = `call_e2e_live_list_${Date.now()}`;
  await expect(page.getByRole("button", { name: "Reload" })).toBeEnabled();
  await newCall(request, callId);
  await expect(page.locator(`tr[data-call-id="${callId}"]`)).toBeVisible({ timeout: 10_000 });
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
});

import { test, expect } from "@playwright/test";
import { sign, signIn } from "./support";

test("a call reported by a signed Retell webhook shows up on the Calls and Retell pages", async ({ page, request }) => {
  const callId = `call_e2e_${Date.now()}`;
  for (const [event, extra] of [
    ["call_started", { call_status: "ongoing" }],
    ["call_analyzed", { call_analysis: { call_summary: "Kundin hat einen Termin gebucht", user_sentiment: "Positive" } }],
  ] as const) {
    const body = JSON.stringify({
      event,
      call: {
        call_id: callId,
        agent_id: "agent_3f9c2a7b1d4e5f60718293a4",
        from_number: "+4915112345678",
        to_number: "+493012345670",
        start_timestamp: Date.now(),
        ...extra,
      },
    });
    const res = await request.post("/api/webhooks/retell", {
      data: body,
      headers: { "content-type": "application/json", "x-retell-signature": sign(body) },
    });
    expect(res.status()).toBe(200);
  }
  const forged = await request.post("/api/webhooks/retell", {
    data: JSON.stringify({ event: "call_started", call: { call_id: "forged", agent_id: "agent_3f9c2a7b1d4e5f60718293a4" } }),
    headers: { "content-type": "application/json", "x-retell-signature": `v=${Date.now()},d=${"0".repeat(64)}` },
  });
  expect(forged.status()).toBe(401);

  await signIn(page);

  await page.getByRole("link", { name: "Calls" }).click();
  const row = page.locator(`tr[data-call-id="${callId}"]`);
  await expect(async () => {
    await page.getByRole("button", { name: "Reload" }).click();
    await expect(row).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await expect(row).toContainText("Kundin hat einen Termin gebucht");
  await expect(row).toContainText("+4915112345678");
  await expect(page.locator('tr[data-call-id="forged"]')).toHaveCount(0);

  await page.getByRole("link", { name: "Retell webhook" }).click();
  await expect(page.getByTestId("webhook-activity").locator('tr[data-event="call_analyzed"]')).toBeVisible();
});

import { test, expect } from "@playwright/test";
import { signed, signIn, useLanguage } from "./support";

// A call made through Retell's real routes (signed webhooks and custom functions) is replayed
// from its page: every step shows the original and today's reply side by side.
test("a stored call is replayed from its page and the comparison is shown", async ({ page, request }) => {
  const callId = `call_e2e_replay_${Date.now()}`;
  const start = Date.now();
  const call = {
    call_id: callId,
    agent_id: "agent_3f9c2a7b1d4e5f60718293a4",
    call_type: "phone_call",
    direction: "inbound",
    from_number: "+4915100007001",
    to_number: "+493012345670",
    start_timestamp: start,
  };
  const args = { service: "Herrenhaarschnitt", date: "übermorgen", time: "vormittags" };
  expect((await signed(request, "/api/webhooks/retell", { event: "call_started", call: { ...call, call_status: "ongoing" } })).status()).toBe(200);
  const check = await signed(request, "/api/mcp/gateway/retell/functions/check_availability", {
    name: "check_availability", call: { ...call, call_status: "ongoing" }, args,
  });
  expect(check.status()).toBe(200);
  const offered = await check.json();
  expect(offered.slots.length).toBeGreaterThan(0);
  const collect = await signed(request, "/api/mcp/gateway/retell/functions/collect_appointment", {
    name: "collect_appointment", call: { ...call, call_status: "ongoing" },
    args: { customer_name: "Rolf Replay", service: "Herrenhaarschnitt", when: offered.slots[0].local },
  });
  expect((await collect.json()).success).toBe(true);
  const ended = { ...call, call_status: "ended", end_timestamp: start + 60_000, duration_ms: 60_000 };
  expect((await signed(request, "/api/webhooks/retell", { event: "call_ended", call: ended })).status()).toBe(200);

  await signIn(page);
  await page.goto(`/admin/calls/${callId}`);
  await expect(page.getByTestId("call-facts")).toContainText(callId);
  await page.getByRole("button", { name: "Replay call" }).click();
  const result = page.getByTestId("replay-result");
  await expect(result).toBeVisible();
  await expect(result.getByRole("status")).toContainText("steps answer differently today");
  for (const name of ["call_started", "check_availability", "collect_appointment", "call_ended"]) {
    await expect(result.locator(`[data-replay-step="${name}"]`)).toHaveCount(1);
  }
  const collected = result.locator('[data-replay-step="collect_appointment"]');
  await expect(collected.locator('[data-side="original"]')).toContainText(offered.slots[0].local);
  await expect(collected.locator('[data-side="replayed"]')).toContainText(offered.slots[0].local);
  await expect(collected).toHaveAttribute("data-differs", "false");
  await expect(result).toHaveAttribute("data-differing", "0");

  // The same page in German.
  await useLanguage(page, "de");
  await page.getByRole("button", { name: "Anruf erneut abspielen" }).click();
  await expect(page.getByTestId("replay-result").getByRole("status")).toContainText("Schritten antworten heute anders");
  await useLanguage(page, "en");
});

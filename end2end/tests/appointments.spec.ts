import { test, expect } from "@playwright/test";
import { signIn, signed } from "./support";

const agent = "agent_3f9c2a7b1d4e5f60718293a4";

/** The next Wednesday at least four days ahead, as YYYY-MM-DD (the demo salon is open). */
function nextWednesday(): string {
  const d = new Date(Date.now() + 4 * 86_400_000);
  while (d.getUTCDay() !== 3) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

test("a phone booking appears as held, becomes booked when the call ends, and the set-up is shown", async ({ page, request }) => {
  const callId = `call_e2e_booking_${Date.now()}`;
  const call = { call_id: callId, agent_id: agent, from_number: "+4915198765432", to_number: "+493012345670", start_timestamp: Date.now() };

  const check = await signed(request, "/api/mcp/gateway/retell/functions/check_availability", {
    name: "check_availability", call, args: { service: "Herrenhaarschnitt", date: nextWednesday(), time: "vormittags" },
  });
  expect(check.status()).toBe(200);
  const free = await check.json();
  expect(free.success).toBe(true);
  expect(free.slots.length).toBeGreaterThan(0);

  const collect = await signed(request, "/api/mcp/gateway/retell/functions/collect_appointment", {
    name: "collect_appointment", call, args: { service: "Herrenhaarschnitt", when: free.slots[0].local, customer_name: "E2E Kunde" },
  });
  const booked = await collect.json();
  expect(booked.success).toBe(true);
  expect(booked.status).toBe("held");
  expect(booked.message).toContain("eingetragen");

  await signIn(page);

  await page.getByRole("link", { name: "Appointments" }).click();
  const row = page.locator(`tr[data-call-id="${callId}"]`);
  await expect(row).toContainText("E2E Kunde");
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "held");

  const ended = await signed(request, "/api/webhooks/retell", { event: "call_ended", call: { ...call, call_status: "ended", end_timestamp: Date.now(), duration_ms: 90_000 } });
  expect(ended.status()).toBe(200);
  await expect(async () => {
    await page.getByRole("button", { name: "Reload" }).click();
    await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "booked", { timeout: 1000 });
  }).toPass({ timeout: 10_000 });

  await page.getByRole("link", { name: "Scheduling" }).click();
  await expect(page.getByTestId("services-table")).toContainText("Damenhaarschnitt");
  await expect(page.getByTestId("services-table")).toContainText("in person only");
  await expect(page.getByTestId("staff-table")).toContainText("Anna");
  const feed = await page.getByRole("link", { name: ".ics feed" }).first().getAttribute("href");
  expect(feed).toContain("/calendar/");
  const ics = await request.get(new URL(feed!).pathname);
  expect(ics.status()).toBe(200);
  expect(await ics.text()).toContain("BEGIN:VCALENDAR");
});

import { test, expect, APIRequestContext } from "@playwright/test";
import { signInAs, signed } from "./support";

// scripts/e2e.sh creates the business "fresh" with nothing set up, its owner and a staff
// account; its Retell agent signs with the same key as the demo's.
const owner = {
  email: process.env.SLOTLINE_E2E_FRESH_OWNER ?? "owner@fresh.test",
  password: process.env.SLOTLINE_E2E_FRESH_OWNER_PASSWORD ?? "",
};
const staff = {
  email: process.env.SLOTLINE_E2E_FRESH_STAFF ?? "staff@fresh.test",
  password: process.env.SLOTLINE_E2E_FRESH_STAFF_PASSWORD ?? "",
};
const agent = process.env.SLOTLINE_E2E_FRESH_AGENT ?? "agent_e2e_fresh";
const number = process.env.SLOTLINE_E2E_FRESH_PHONE ?? "+493099887766";

/** YYYY-MM-DD `n` days from now (far enough ahead that notice rules do not matter). */
function dayAhead(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

const d1 = dayAhead(3);
const d2 = dayAhead(4);
const callId = `call_e2e_setup_${Date.now()}`;
const call = { call_id: callId, agent_id: agent, from_number: "+4915199887766", to_number: number, start_timestamp: Date.now() };

async function fn(request: APIRequestContext, name: string, args: Record<string, unknown>) {
  const res = await signed(request, `/api/mcp/gateway/retell/functions/${name}`, { name, call, args });
  expect(res.status()).toBe(200);
  return res.json();
}

test.describe.configure({ mode: "serial" });

test("an owner sets up an empty business and the phone agent offers exactly its slots", async ({ page, request }) => {
  await signInAs(page, owner);
  await page.getByRole("link", { name: "Set-up" }).click();
  await expect(page.getByRole("heading", { name: "Set-up" })).toBeVisible();

  // A service; a duration of 0 gets a sentence beside the field first.
  const services = page.getByTestId("setup-services");
  await expect(services.getByRole("button", { name: "Save service" })).toBeEnabled();
  await services.getByLabel("Service name").fill("Beratung");
  await services.getByLabel("Duration (minutes)").fill("0");
  await services.getByRole("button", { name: "Save service" }).click();
  await expect(services.locator("[data-field-error]")).toContainText("5 to 720");
  await services.getByLabel("Duration (minutes)").fill("60");
  await services.getByRole("button", { name: "Save service" }).click();
  await expect(page.getByTestId("setup-services-table")).toContainText("Beratung");

  // A staff member offering it, 09:00–13:00 every day with a break 11:00–12:00; a break
  // outside the day is refused beside Monday's row.
  const people = page.getByTestId("setup-staff");
  await people.getByLabel("Staff name").fill("Mia");
  await people.getByRole("checkbox", { name: "Beratung" }).check();
  await people.getByRole("checkbox", { name: "Monday" }).check();
  await people.getByLabel("Monday from").fill("09:00");
  await people.getByLabel("Monday to").fill("13:00");
  await people.getByLabel("Monday breaks").fill("13:30-14:00");
  await people.getByRole("button", { name: "Save staff member" }).click();
  await expect(people.locator('[data-weekday="Monday"] [data-field-error]')).toContainText("outside");
  await people.getByLabel("Monday breaks").fill("11:00-12:00");
  await people.getByRole("button", { name: "Copy Monday to every day" }).click();
  await people.getByRole("button", { name: "Save staff member" }).click();
  await expect(page.getByTestId("setup-staff-table")).toContainText("Mon 09:00–13:00 (break 11:00–12:00)");
  await expect(page.getByTestId("setup-staff-table")).toContainText("Sun 09:00–13:00 (break 11:00–12:00)");

  // The whole business is closed on d2.
  const closures = page.getByTestId("setup-closures");
  await closures.getByLabel("From (YYYY-MM-DD").fill(d2);
  await closures.getByLabel("To (last day").fill(d2);
  await closures.getByLabel("Closure reason").fill("Inventur");
  await closures.getByRole("button", { name: "Add closure" }).click();
  await expect(page.getByTestId("closures-list")).toContainText("Inventur");

  // One start an hour.
  const rules = page.getByTestId("setup-rules");
  await rules.getByLabel("Slot step (minutes)").fill("60");
  await rules.getByRole("button", { name: "Save rules" }).click();
  await expect(rules.getByRole("status")).toContainText("Saved.");

  // A signed check_availability offers exactly the new slots at once, and nothing on d2.
  const free = await fn(request, "check_availability", { service: "Beratung", date: d1 });
  expect(free.success).toBe(true);
  expect(free.slots.map((s: { local: string }) => s.local)).toEqual([`${d1}T09:00`, `${d1}T10:00`, `${d1}T12:00`]);
  const closed = await fn(request, "check_availability", { service: "Beratung", date: d2 });
  expect(closed.slots.map((s: { local: string }) => s.local).filter((l: string) => l.startsWith(d2))).toEqual([]);
});

test("a manual booking takes the slot from the phone agent; a move and a cancel are in its history", async ({ page, request }) => {
  await signInAs(page, owner);
  await page.getByRole("link", { name: "Calendar" }).click();
  const form = page.getByTestId("new-appointment");
  await expect(form.getByRole("button", { name: "Book", exact: true })).toBeEnabled();
  await form.getByLabel("Day (YYYY-MM-DD)").fill(d1);
  await form.getByRole("button", { name: "Find free times" }).click();
  await expect(form.getByTestId("free-slots").locator("[data-slot]")).toHaveCount(3);
  await form.locator(`[data-slot="${d1}T10:00"]`).click();
  await form.getByLabel("Customer name").fill("Erika Hand");
  await form.getByLabel("Customer phone (E.164)").fill("+4917611122233");
  await form.getByRole("button", { name: "Book", exact: true }).click();
  await expect(form.getByRole("status")).toContainText("Booked");

  // The phone agent can no longer book 10:00; it books 12:00 instead.
  const taken = await fn(request, "collect_appointment", { service: "Beratung", when: `${d1}T10:00`, customer_name: "Eva Telefon" });
  expect(taken.success).toBe(false);
  expect(taken.error).toBe("not_available");
  const held = await fn(request, "collect_appointment", { service: "Beratung", when: `${d1}T12:00`, customer_name: "Eva Telefon" });
  expect(held.success).toBe(true);

  // The day shows both; open the manual one, move it, cancel it.
  const date = page.getByLabel("Calendar date");
  await date.fill(d1);
  await date.press("Tab");
  const day = page.getByTestId("calendar-day");
  await expect(day.locator('[data-status="held"]')).toContainText("Eva Telefon");
  await day.locator("[data-appointment-id]").filter({ hasText: "Erika Hand" }).click();
  const panel = page.getByTestId("appointment-panel");
  await expect(panel.getByRole("button", { name: "Move", exact: true })).toBeEnabled();
  await panel.getByLabel("Move to (YYYY-MM-DDTHH:MM)").fill(`${d1}T09:00`);
  await panel.getByRole("button", { name: "Move", exact: true }).click();
  await expect(panel.locator('[data-action="moved"]')).toContainText(`${d1} 09:00`);
  await panel.getByLabel("Cancellation reason").fill("Kundin krank");
  await panel.getByRole("button", { name: "Cancel appointment" }).click();
  await expect(panel.locator('[data-action="cancelled"]')).toContainText("Kundin krank");
  await expect(panel.getByTestId("appointment-history")).toContainText(`admin ${owner.email}`);
  await expect(day.locator("[data-appointment-id]").filter({ hasText: "Erika Hand" })).toHaveAttribute("data-status", "cancelled");
});

test("a call's detail shows its transcript, function calls and appointment", async ({ page, request }) => {
  for (const [event, extra] of [
    ["call_started", { call_status: "ongoing" }],
    ["call_ended", { call_status: "ended", end_timestamp: Date.now(), duration_ms: 75_000, transcript: "Agent: Studio Frisch, hallo.\nUser: Einen Termin zur Beratung bitte." }],
  ] as const) {
    const res = await signed(request, "/api/webhooks/retell", { event, call: { ...call, ...extra } });
    expect(res.status()).toBe(200);
  }
  await signInAs(page, owner);
  await page.getByRole("link", { name: "Calls" }).click();
  const row = page.locator(`tr[data-call-id="${callId}"]`);
  await expect(async () => {
    await page.getByRole("button", { name: "Reload" }).click();
    await expect(row).toHaveAttribute("data-outcome", "booked", { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await row.getByRole("link").click();
  await expect(page.getByTestId("transcript")).toContainText("Einen Termin zur Beratung bitte");
  await expect(page.locator('[data-function="check_availability"]')).toHaveCount(2);
  await expect(page.locator('[data-function="collect_appointment"]')).toHaveCount(2);
  await expect(page.locator('[data-function="collect_appointment"][data-outcome="not_available"]')).toContainText("Eva Telefon");
  await expect(page.getByTestId("call-appointments")).toContainText("Beratung");
  await expect(page.getByTestId("call-appointments")).toContainText("held, booked");
});

test("a staff account cannot reach the set-up but uses the calendar", async ({ page }) => {
  await signInAs(page, staff);
  await expect(page.getByTestId("signed-in-role")).toHaveText("staff");
  await expect(page.getByRole("link", { name: "Set-up" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "API access" })).toHaveCount(0);
  await page.goto("/admin/setup");
  await expect(page.getByTestId("owner-only")).toContainText("Only the business owner");
  await expect(page.getByTestId("setup-services")).toHaveCount(0);
  await page.getByTestId("owner-only").getByRole("link", { name: "Calendar" }).click();
  await expect(page.getByTestId("new-appointment")).toBeVisible();
});

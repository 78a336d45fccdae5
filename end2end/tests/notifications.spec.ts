import { test, expect } from "@playwright/test";
import { signIn, signed } from "./support";

const agent = "agent_3f9c2a7b1d4e5f60718293a4";
const smtpPort = process.env.SLOTLINE_E2E_SMTP_PORT ?? "2525";

/** The next Thursday at least four days ahead, as YYYY-MM-DD (the demo salon is open). */
function nextThursday(): string {
  const d = new Date(Date.now() + 4 * 86_400_000);
  while (d.getUTCDay() !== 4) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

test("a phone booking's confirmation goes out and shows as sent in the outbox", async ({ page, request }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Notifications" }).click();
  await expect(page.getByRole("heading", { name: "Delivery" })).toBeVisible();
  await page.locator('input[name="smtp_host"]').fill("127.0.0.1");
  await page.locator('input[name="smtp_port"]').fill(smtpPort);
  await page.locator('select[name="smtp_tls"]').selectOption("none");
  await page.locator('input[name="from_address"]').fill("Salon Demo <termine@demo.test>");
  await page.getByLabel("Send e-mails").check();
  await page.getByTestId("save-settings").click();
  await expect(page.getByText("Saved.")).toBeVisible();

  const callId = `call_e2e_mail_${Date.now()}`;
  const call = { call_id: callId, agent_id: agent, from_number: "+4915198760001", to_number: "+493012345670", start_timestamp: Date.now() };
  const check = await signed(request, "/api/mcp/gateway/retell/functions/check_availability", {
    name: "check_availability", call, args: { service: "Herrenhaarschnitt", date: nextThursday(), time: "nachmittags" },
  });
  const free = await check.json();
  expect(free.success).toBe(true);
  const collect = await signed(request, "/api/mcp/gateway/retell/functions/collect_appointment", {
    name: "collect_appointment", call,
    args: { service: "Herrenhaarschnitt", when: free.slots[0].local, customer_name: "Mail Kunde", email: "mail.kunde@example.com" },
  });
  expect((await collect.json()).success).toBe(true);
  const ended = await signed(request, "/api/webhooks/retell", { event: "call_ended", call: { ...call, call_status: "ended", end_timestamp: Date.now(), duration_ms: 60_000 } });
  expect(ended.status()).toBe(200);

  const confirmation = page.getByTestId("outbox-row").filter({ hasText: "Confirmation" }).filter({ hasText: "m…@example.com" });
  await expect(async () => {
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(confirmation.getByTestId("outbox-status")).toHaveText("sent", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  // The reminder waits for its time.
  const reminder = page.getByTestId("outbox-row").filter({ hasText: "Reminder" }).filter({ hasText: "m…@example.com" });
  await expect(reminder.getByTestId("outbox-status")).toHaveText("waiting");
});

test("editing a template changes its preview", async ({ page }) => {
  await signIn(page);
  await page.goto("/admin/notifications");
  // Hydrated (the owner's save button is enabled only then): the selects react from here on.
  await expect(page.getByTestId("save-template")).toBeEnabled();
  await page.locator('select[name="template_language"]').selectOption("en");
  await expect(page.getByTestId("preview-subject")).toContainText("is booked");
  await page.locator('input[name="template_subject"]').fill("Booked: {service} at {time}");
  await expect(page.getByTestId("preview-subject")).toHaveText("Booked: Haarschnitt at 10:00");
  await page.locator('textarea[name="template_body"]').fill("Hi {customer}, see you {date}.");
  await expect(page.getByTestId("preview-text")).toContainText("Hi Eva Muster, see you");
  await page.locator('input[name="template_subject"]').fill("Booked {nonsense}");
  await expect(page.getByTestId("template-preview")).toContainText("unknown placeholder {nonsense}");
});

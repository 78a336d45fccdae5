// Connecting a business to Retell from the browser (issue #11), against the fake Retell API
// scripts/e2e.sh starts (end2end/fake-retell.mjs): the owner of a business without a Retell key
// pastes a wrong key (refused with Retell's sentence), then the right one (shown masked only),
// binds the agent with its number, generates the function token, edits and toggles functions,
// runs the webhook test and sees it on the page, previews the deploy, applies it, and the page
// then says "Connected".
import { test, expect, Page } from "@playwright/test";
import { signInAs } from "./support";

const email = process.env.SLOTLINE_E2E_CONNECT_EMAIL ?? "owner@connect.e2e.test";
const password = process.env.SLOTLINE_E2E_CONNECT_PASSWORD ?? "";
const key = process.env.SLOTLINE_E2E_CONNECT_KEY ?? "";
// As end2end/fake-retell.mjs serves them.
const AGENT = "agent_e2e_connect";
const NUMBER = "+493055500111";

async function signInAsOwner(page: Page) {
  await signInAs(page, { email, password });
}

test("an owner connects the business to Retell, tests it and deploys", async ({ page }) => {
  test.setTimeout(120_000);
  expect(key, "scripts/e2e.sh passes the key the fake accepts").not.toBe("");
  await signInAsOwner(page);
  await page.getByRole("link", { name: "Retell webhook" }).click();
  await expect(page.getByRole("heading", { name: "Retell webhook" })).toBeVisible();
  await expect(page.getByTestId("connection-badge")).toHaveText("Not connected yet");
  await expect(page.getByTestId("masked-key")).toHaveText("not set yet");
  await expect(page.getByTestId("webhook-url")).toContainText("/api/webhooks/retell");
  // Act only once the app is live (its click-only buttons are enabled then).
  await expect(page.getByRole("button", { name: "Run the test" })).toBeEnabled();

  // A key Retell refuses is not stored, and the sentence stands next to the field.
  await page.getByLabel("Retell API key").fill("key_wrong_e2e_1234");
  await page.getByRole("button", { name: "Save the key" }).click();
  await expect(page.getByTestId("key-error")).toContainText("Retell refused this API key");
  await expect(page.getByTestId("masked-key")).toHaveText("not set yet");

  // The right key: accepted by Retell, shown masked, never in the page.
  await page.getByLabel("Retell API key").fill(key);
  await page.getByRole("button", { name: "Save the key" }).click();
  await expect(page.getByTestId("masked-key")).toHaveText(`…${key.slice(-4)}`);
  await expect(page.getByTestId("key-error")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(key);

  // Pick the agent and bind it: the number Retell routes to it comes along.
  const agents = page.getByTestId("agents");
  await expect(agents.getByRole("button", { name: "Bind" })).toBeEnabled();
  await agents.getByRole("combobox", { name: "Agent" }).selectOption(AGENT);
  await agents.getByRole("button", { name: "Bind" }).click();
  await expect(page.getByTestId("bound-agents")).toContainText(AGENT);
  await expect(agents.locator(`tr[data-number="${NUMBER}"]`)).toContainText("bound");

  // The function token is shown once.
  await page.getByRole("button", { name: "Generate a token" }).click();
  await expect(page.getByTestId("new-function-token")).toHaveText(/^slf_[0-9a-f]{64}$/);
  await expect(page.getByTestId("function-token")).toContainText("set (made");

  // A function is switched off and on again.
  const cancel = page.locator('article[data-function="cancel_appointment"]');
  await cancel.getByLabel("Enable cancel_appointment").uncheck();
  await expect(cancel.getByText("customized")).toBeVisible();
  await expect(cancel.getByLabel("Enable cancel_appointment")).toBeEnabled();
  await cancel.getByLabel("Enable cancel_appointment").check();
  await expect(cancel.getByText("customized")).toHaveCount(0);

  // An edit with a schema that is not an object schema is refused on its field, then fixed.
  const check = page.locator('article[data-function="check_availability"]');
  await check.getByRole("button", { name: "Edit" }).click();
  const parameters = check.getByLabel("Parameters (JSON Schema)");
  await parameters.fill('{"type": "string"}');
  await check.getByRole("button", { name: "Save function" }).click();
  await expect(check.getByTestId("parameters-error")).toContainText('"type": "object"');
  await check.getByLabel("Description").fill("Finds free times for a service; call it before proposing any time.");
  await parameters.fill(
    JSON.stringify({
      type: "object",
      properties: { service: { type: "string" }, date: { type: "string" }, time: { type: "string" } },
      required: ["service"],
    }),
  );
  await check.getByRole("button", { name: "Save function" }).click();
  await expect(check).toContainText("Finds free times for a service; call it before proposing any time.");
  await expect(check.getByText("customized")).toBeVisible();

  // The test goes through Slotline's own webhook receiver and function routes.
  await page.getByRole("button", { name: "Run the test" }).click();
  const result = page.getByTestId("test-result");
  await expect(result).toContainText("Everything answered.", { timeout: 30_000 });
  const hook = result.locator('tr[data-probe="webhook"]');
  await expect(hook).toContainText("200");
  await expect(hook).toContainText("recorded call_started of test call slotline_test_");
  for (const f of ["check_availability", "collect_appointment", "change_appointment", "cancel_appointment"]) {
    await expect(result.locator(`tr[data-probe="${f}"]`)).toContainText(/200.*\d+ ms/);
  }
  // A test is not a call: the activity table stays empty.
  await expect(page.getByTestId("webhook-activity")).toContainText("No webhook events yet");

  // Deploy: first the changes field by field, then apply, then nothing is left to change.
  await page.getByRole("button", { name: "Preview changes" }).click();
  const diff = page.getByTestId("deploy-diff");
  await expect(diff).toContainText("would be made");
  await expect(diff.locator('tr[data-field="agent.webhook_url"]')).toContainText("/api/webhooks/retell");
  await expect(diff.locator('tr[data-field="llm.general_tools[check_availability]"]')).toBeVisible();
  await expect(diff).not.toContainText("slf_");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("deploy-result")).toContainText("sent to Retell");
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("deploy-diff")).toContainText("nothing to change");
  await expect(page.getByTestId("connection-badge")).toHaveText("Connected");

  // After a reload the token and the key are gone from the page; the status stays verified.
  await page.reload();
  await expect(page.getByTestId("connection-badge")).toHaveText("Connected");
  await expect(page.getByTestId("new-function-token")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(key);
  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByTestId("retell-card")).toContainText("Connected");
});

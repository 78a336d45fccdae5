import { test, expect, APIRequestContext } from "@playwright/test";
import { signIn } from "./support";

async function tenantGet(request: APIRequestContext, token: string) {
  const res = await request.post("/api/mcp/gateway", {
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    data: { jsonrpc: "2.0", id: 1, method: "tenant.get" },
  });
  expect(res.status()).toBe(200);
  return res.json();
}

test("an admin creates an API token, an external client uses it, and revoking stops it", async ({ page, request }) => {
  await signIn(page);

  await page.getByRole("link", { name: "API access" }).click();
  await expect(page.getByRole("heading", { name: "API access" })).toBeVisible();
  await expect(page.getByTestId("mcp-url")).toContainText("/mcp");

  const name = `E2E client ${Date.now()}`;
  // Type only once the app is live (the button is enabled then).
  await expect(page.getByRole("button", { name: "Create token" })).toBeEnabled();
  await page.getByLabel("Token name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveText(/^slt_[0-9a-f]{64}$/);
  const token = (await shown.textContent()) ?? "";

  const ok = await tenantGet(request, token);
  expect(ok.result.name).toBe("Salon Sonnenschein");

  // Only "read" is checked by default: managing appointments needs another scope.
  const cancel = await request.post("/api/mcp/gateway", {
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    data: {
      jsonrpc: "2.0",
      id: 2,
      method: "appointment.management.cancel",
      params: { appointment_id: 1, phone: "+4915112345678" },
    },
  });
  expect((await cancel.json()).error.code).toBe(-32002);

  const row = page.locator(`tr[data-token-name="${name}"]`);
  await expect(row).toContainText("active");
  await expect(row.getByTestId("token-scopes")).toHaveText("read");
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");

  const refused = await tenantGet(request, token);
  expect(refused.error.code).toBe(-32001);

  // The token is never shown again after a reload.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(token);
});

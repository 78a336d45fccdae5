import { test, expect } from "@playwright/test";
import { signInAs } from "./support";

// scripts/e2e.sh creates this platform admin with `slotline create-admin --platform`.
const platformAdmin = {
  email: process.env.SLOTLINE_E2E_PLATFORM_EMAIL ?? "platform@e2e.test",
  password: process.env.SLOTLINE_E2E_PLATFORM_PASSWORD ?? "",
};

test("a platform admin creates a tenant and its owner; the owner sees only that tenant", async ({ page, request }) => {
  const stamp = Date.now();
  const name = `Praxis E2E ${stamp}`;
  const slug = `praxis-e2e-${stamp}`;
  const ownerEmail = `owner-${stamp}@e2e.test`;

  // Signing in goes straight to the platform page: no tenant page is asked for (each of its
  // requests would only be refused for want of a tenant).
  const failed: string[] = [];
  page.on("response", (r) => {
    if (r.status() >= 500) failed.push(`${r.status()} ${r.url()}`);
  });
  await signInAs(page, platformAdmin);
  // Before switching into a tenant, a platform admin is kept on the platform pages.
  await expect(page).toHaveURL(/\/admin\/platform$/);
  await page.waitForLoadState("networkidle");
  expect(failed, "requests that failed while signing in").toEqual([]);
  await expect(page.getByRole("heading", { name: "Platform" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Calendar", exact: true })).toHaveCount(0);

  const create = page.locator("section").filter({ hasText: "New tenant" });
  await expect(create.getByRole("button", { name: "Create tenant" })).toBeEnabled();
  await create.getByLabel("Business name").fill(name);
  await create.getByLabel("Short name (optional)").fill(slug);
  await create.getByRole("button", { name: "Create tenant" }).click();
  const row = page.locator(`tr[data-tenant="${slug}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId("tenant-status")).toHaveText("active");

  const add = page.locator("section").filter({ hasText: "Add a user" });
  await add.getByLabel("Tenant").selectOption({ label: name });
  await add.getByLabel("E-mail").fill(ownerEmail);
  await add.getByLabel("Role").selectOption("owner");
  await add.getByLabel("How they get in").selectOption("password");
  await add.getByRole("button", { name: "Add user" }).click();
  const secret = add.getByTestId("user-secret");
  await expect(secret).toHaveText(/^[A-Za-z0-9]{16}$/);
  const ownerPassword = (await secret.textContent()) ?? "";

  // Switching in shows a banner naming the tenant, and the way back.
  await row.getByRole("button", { name: "Switch into" }).click();
  const banner = page.getByTestId("acting-banner");
  await expect(banner).toContainText(name);
  await expect(page.getByRole("link", { name: "Calendar", exact: true })).toBeVisible();
  await banner.getByRole("button", { name: "Back to platform" }).click();
  await expect(page).toHaveURL(/\/admin\/platform$/);
  await expect(page.getByTestId("acting-banner")).toHaveCount(0);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);

  // The owner signs in and sees their business only.
  await signInAs(page, { email: ownerEmail, password: ownerPassword });
  await expect(page.getByText(name).first()).toBeVisible();
  await expect(page.getByTestId("acting-banner")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Platform", exact: true })).toHaveCount(0);
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByLabel("Business name")).toHaveValue(name);
  await expect(page.locator("body")).not.toContainText("Salon Sonnenschein");
  await page.getByRole("link", { name: "Users", exact: true }).click();
  await expect(page.locator(`tr[data-user="${ownerEmail}"]`)).toContainText("(you)");
  await expect(page.locator("body")).not.toContainText("demo@slotline.local");

  // The same session asking for the platform's list, or another tenant, gets nothing.
  const cookies = await page.context().cookies();
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const rpc = async (method: string, params: unknown) => {
    const res = await request.post("/api/mcp/gateway", {
      headers: { "content-type": "application/json", cookie },
      data: { jsonrpc: "2.0", id: 1, method, params },
    });
    return res.json();
  };
  expect((await rpc("platform.tenants.list", {})).error.code).toBe(-32002);
  expect((await rpc("platform.tenants.switch", { tenant_id: 1 })).error.code).toBe(-32002);
  const own = await rpc("tenant.get", {});
  expect(own.result.name).toBe(name);
});

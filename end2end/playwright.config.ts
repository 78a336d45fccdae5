import { defineConfig, devices } from "@playwright/test";

// The server is started by scripts/e2e.sh, which passes its URL in SLOTLINE_E2E_BASE_URL.
const baseURL = process.env.SLOTLINE_E2E_BASE_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  // The specs' sentences are English: every browser starts with the language cookie set to
  // English (German is the product's default; i18n.spec.ts starts without it to check that).
  use: {
    baseURL,
    trace: "retain-on-failure",
    storageState: {
      cookies: [
        {
          name: "slotline_lang",
          value: "en",
          domain: new URL(baseURL).hostname,
          path: "/",
          expires: -1,
          httpOnly: false,
          secure: false,
          sameSite: "Lax",
        },
      ],
      origins: [],
    },
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.SLOTLINE_CHROMIUM ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
});

import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { findChromium } from "../../local/preflight/findChromium.ts";
import { installCommands } from "../../local/preflight/installCommands.ts";
import { tools } from "../../local/preflight/tools.ts";

const screenshotDir = resolve(import.meta.dirname, "../../.data/screenshots");

/**
 * The system's Chromium for a browser test file, driven by playwright-core (no
 * browser download): the one npm test's preflight found or installed
 * (CHROMIUM_PATH, chromium on PATH, or a macOS app bundle). Launched once for
 * the file when present; a missing browser fails the file's tests with the
 * install command, never skips them.
 *
 * @example
 * const browser = useChromium("the dashboard browser test");
 * it("has Chromium", () => browser.expectFound());
 * it("…", async () => { const context = await browser.get().newContext(); });
 */
export function useChromium(testName: string) {
  const executablePath = findChromium();
  const missing = `${testName} needs Chromium, which npm test's preflight installs as root with apt-get: ${installCommands([tools.chromium]).apt}, or set CHROMIUM_PATH`;
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!executablePath) return;
    browser = await chromium.launch({
      executablePath,
      args: [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
      ],
    });
  }, 60_000);
  afterAll(() => browser?.close());
  return {
    expectFound: () => expect(executablePath, missing).toBeDefined(),
    get(): Browser {
      if (!browser) throw new Error(missing);
      return browser;
    },
  };
}

/** A full-page screenshot into `.data/screenshots/<name>`, checked to exist. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, name);
  await page.screenshot({ path: file, fullPage: true });
  expect(existsSync(file)).toBe(true);
}

import { Client } from "@upstash/qstash";
import { describe, expect, it } from "vitest";
import { saveScreenshot, useChromium } from "./chromium.ts";
import { useTestStack } from "./testStack.ts";

const browser = useChromium("the dashboard browser test");

const t = useTestStack("dashboard");

describe("the replication dashboard in a browser", () => {
  it("has Chromium", () => {
    browser.expectFound();
  });

  it("logs in, shows four converged regions, follows a write live, and is screenshotted", async () => {
    const { stack, secrets } = t.launched;
    // A signed push the Bun reader refuses as poison: QStash dead-letters it (no retries), the
    // reader reports it as its last poison. Neither touches the views, so the regions still converge.
    const poisoned = stack.readers.find((r) => r.runtime === "bun");
    if (!poisoned) throw new Error("the stack has no Bun reader");
    const qstash = new Client({ baseUrl: stack.qstash.url, token: secrets.qstashToken });
    const { messageId } = await qstash.publish({
      url: `${poisoned.url}/v1/ingest`,
      body: JSON.stringify({ events: "not a batch" }),
      headers: { "content-type": "application/json" },
      retries: 0,
    });
    const context = await browser.get().newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      const first = await page.goto(`${stack.writeApi.url}/dashboard`);
      expect(first?.status()).toBe(401);

      await page.fill('input[name="token"]', "not-the-admin-token");
      await page.click('button[type="submit"]');
      await page.waitForSelector('[role="alert"]');
      expect(await page.textContent('[role="alert"]')).toContain("not the admin token");
      expect(await context.cookies()).toEqual([]);

      await page.fill('input[name="token"]', stack.tokens.admin);
      await Promise.all([
        page.waitForSelector('[data-testid="primary-head"]'),
        page.click('button[type="submit"]'),
      ]);
      const [session] = await context.cookies();
      expect(session).toMatchObject({ name: "cqrs_dashboard", httpOnly: true, sameSite: "Strict" });

      const regions = stack.readers.map((r) => r.region).sort();
      expect(regions).toHaveLength(4);
      const rows = () =>
        page.$$eval("tr[data-region]", (trs) =>
          trs.map((tr) => ({
            region: tr.getAttribute("data-region"),
            agreement: tr.getAttribute("data-agreement"),
            reachable: tr.getAttribute("data-reachable"),
            watermark: tr.querySelector('[data-field="watermark"]')?.textContent ?? "",
          })),
        );
      const { head } = await t.client.converged();
      // converged by the stack's own measure; the page may be one refresh behind it
      await page.waitForFunction(
        (h) =>
          document.querySelector('[data-testid="convergence"]')?.getAttribute("data-converged") ===
            "true" && document.querySelector('[data-testid="primary-head"]')?.textContent === h,
        String(head),
        { timeout: 30_000 },
      );
      const converged = await rows();
      expect(converged.map((r) => r.region).sort()).toEqual(regions);
      expect(converged.map((r) => [r.agreement, r.reachable, r.watermark])).toEqual(
        regions.map(() => ["equal", "true", String(head)]),
      );
      expect(await page.getAttribute('[data-testid="dead-letters"]', "data-available")).toBe(
        "true",
      );
      // dead-lettered after its one delivery failed; the page shows it within a refresh or two
      await page.waitForSelector(`[data-testid="dead-letters"] >> text=${messageId}`, {
        timeout: 30_000,
      });
      await page.waitForSelector(
        `tr[data-region="${poisoned.region}"] >> text=not an event batch`,
        {
          timeout: 30_000,
        },
      );

      // A write through the API shows up without a reload: the marker survives.
      await page.evaluate(() => {
        (window as unknown as { notReloaded: boolean }).notReloaded = true;
      });
      const write = await t.client.command({
        type: "category.create",
        slug: `dashboard-${Date.now()}`,
        name: "Seen on the dashboard",
      });
      expect(write.status).toBe(200);
      const { version } = (await write.json()) as { version: number };
      expect(version).toBeGreaterThan(head);
      await page.waitForFunction(
        (v) => {
          const trs = [...document.querySelectorAll("tr[data-region]")];
          return (
            document.querySelector('[data-testid="primary-head"]')?.textContent === v &&
            trs.length === 4 &&
            trs.every(
              (tr) =>
                tr.getAttribute("data-agreement") === "equal" &&
                tr.querySelector('[data-field="watermark"]')?.textContent === v,
            )
          );
        },
        String(version),
        { timeout: 60_000 },
      );
      expect(
        await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
      ).toBe(true);
      expect(await page.getAttribute('[data-testid="convergence"]', "data-converged")).toBe("true");

      await saveScreenshot(page, "dashboard.png");
    } finally {
      await context.close();
    }
  }, 120_000);
});

import { describe, expect, it } from "vitest";
import { inlineViewsUrl } from "./inlineViewsUrl.ts";

describe("inlineViewsUrl", () => {
  it("puts the views beside a local primary file", () => {
    expect(inlineViewsUrl("file:.data/primary.db")).toBe("file:.data/primary.views.db");
    expect(inlineViewsUrl("file:/srv/shop/catalog")).toBe("file:/srv/shop/catalog.views.db");
    expect(inlineViewsUrl("file:/srv/p.db?mode=rwc")).toBe("file:/srv/p.views.db");
  });

  it("keeps an in-memory primary's views in memory", () => {
    expect(inlineViewsUrl("file::memory:")).toBe(":memory:");
  });

  it("keeps a remote primary's views in a local file", () => {
    expect(inlineViewsUrl("libsql://shop.turso.io")).toBe("file:.data/primary.views.db");
    expect(inlineViewsUrl("http://127.0.0.1:8081")).toBe("file:.data/primary.views.db");
  });
});

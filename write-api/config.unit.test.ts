import { describe, expect, it } from "vitest";
import { loadWriteApiConfig } from "./config.ts";

const secrets = {
  ADMIN_TOKEN: "admin-token-0123456789",
  READER_TOKEN: "reader-token-0123456789",
  CONSISTENCY_SECRET: "consistency-secret-0123",
};

describe("the write API's configuration of its inline views", () => {
  it("puts them beside the primary's file, in a thread of their own", () => {
    const config = loadWriteApiConfig({ ...secrets, DATABASE_URL: "file:/srv/shop/primary.db" });
    expect(config.viewsUrl).toBe("file:/srv/shop/primary.views.db");
    expect(config.viewsThread).toBe("worker");
  });

  it("keeps an in-memory primary's views on the commands' thread, and refuses a thread for them", () => {
    expect(loadWriteApiConfig({ ...secrets, DATABASE_URL: "file::memory:" })).toMatchObject({
      viewsUrl: ":memory:",
      viewsThread: "main",
    });
    expect(() =>
      loadWriteApiConfig({ ...secrets, DATABASE_URL: "file::memory:", VIEWS_THREAD: "worker" }),
    ).toThrow(/VIEWS_THREAD=worker needs a primary another thread can open/);
  });

  it("refuses views in the primary's own database, and an unknown thread, naming both", () => {
    const load = () =>
      loadWriteApiConfig({
        ...secrets,
        DATABASE_URL: "file:p.db",
        VIEWS_DATABASE_URL: "file:p.db",
        VIEWS_THREAD: "gpu",
      });
    expect(load).toThrow(/VIEWS_DATABASE_URL must name a database of its own/);
    expect(load).toThrow(/VIEWS_THREAD must be one of worker, main/);
  });
});

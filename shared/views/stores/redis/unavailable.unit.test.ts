import { describe, expect, it } from "vitest";
import { AppError } from "../../../errors/index.ts";
import { readsOf } from "../../../testing/modelReads.ts";
import { createMemoryViewStore } from "../memory/memoryViewStore.ts";
import { isRedisOutage, unavailableOnOutage } from "./unavailable.ts";

describe("Redis outages", () => {
  it("tells a network failure from a bug or corrupt data", () => {
    expect(isRedisOutage(new TypeError("fetch failed"))).toBe(true);
    expect(isRedisOutage(new Error("ERR local Upstash REST server: connect ECONNREFUSED"))).toBe(
      true,
    );
    expect(
      isRedisOutage(new TypeError("Cannot read properties of undefined (reading 'amount')")),
    ).toBe(false);
    expect(
      isRedisOutage(
        new Error(
          "ERR local Upstash REST server: Reached the max retries per request limit (which is 1).",
        ),
      ),
    ).toBe(true);
    expect(isRedisOutage(new Error("view apply: malformed op for kind page"))).toBe(false);
    expect(isRedisOutage(new AppError("not_found", "connection"))).toBe(false);
  });

  it("answers an outage as unavailable and passes everything else through", async () => {
    const store = createMemoryViewStore();
    const down = unavailableOnOutage({
      ...store,
      watermark: () => Promise.reject(new TypeError("fetch failed")),
      digest: () => Promise.reject(new RangeError("a bug")),
    });
    await expect(down.watermark()).rejects.toMatchObject({ code: "unavailable" });
    await expect(down.digest()).rejects.toBeInstanceOf(RangeError);
    expect((await readsOf(down).navigation()).data).toEqual([]);
  });
});

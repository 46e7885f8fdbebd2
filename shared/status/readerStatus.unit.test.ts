import { describe, expect, it } from "vitest";
import { readerStatusFixture } from "../testing/readerStatusFixture.ts";
import { parseReaderStatus } from "./readerStatus.ts";

describe("parseReaderStatus", () => {
  it("reads a whole status, dropping fields a newer reader may add", () => {
    const status = readerStatusFixture({ region: "eu", watermark: 7 });
    expect(parseReaderStatus({ ...status, addedLater: true })).toEqual({ ok: true, status });
  });

  it("names the first field that is wrong instead of passing it on", () => {
    const { generation: _g, ...older } = readerStatusFixture();
    expect(parseReaderStatus(older)).toEqual({
      ok: false,
      error:
        "not a reader's status: generation: Invalid input: expected object, received undefined",
    });
    expect(parseReaderStatus(readerStatusFixture({ watermark: -1 }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not a reader's status: watermark: /),
    });
    expect(parseReaderStatus("<html>")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not a reader's status: Invalid input/),
    });
    expect(parseReaderStatus({ region: "eu" })).toMatchObject({
      error: expect.stringMatching(/^not a reader's status: runtime: .* \(and 13 more\)$/),
    });
  });
});

import { describe, expect, it } from "vitest";
import { issueSession, sessionTtlMs, validSession } from "./dashboardSession.ts";
import { statusUrlFromIngest } from "./dashboardSettings.ts";

const token = "admin-token-0123456789abcdef";
const now = 1_800_000_000_000;

describe("dashboard session", () => {
  it("is valid for the token that issued it until it expires", async () => {
    const value = await issueSession(token, now);
    expect(value).not.toContain(token);
    expect(await validSession(token, value, now + 1)).toBe(true);
    expect(await validSession(token, value, now + sessionTtlMs)).toBe(false);
  });

  it("ends when the admin token changes, and refuses junk", async () => {
    const value = await issueSession(token, now);
    expect(await validSession("another-admin-token-0123456", value, now)).toBe(false);
    for (const junk of [
      undefined,
      "",
      token,
      "123.abc",
      `${now + sessionTtlMs + 1}.${value.split(".")[1]}`,
    ]) {
      expect(await validSession(token, junk, now), String(junk)).toBe(false);
    }
  });
});

describe("statusUrlFromIngest", () => {
  it("swaps the ingest path for the status path, keeping any prefix", () => {
    expect(statusUrlFromIngest("http://127.0.0.1:8091/v1/ingest")).toBe(
      "http://127.0.0.1:8091/v1/status",
    );
    expect(statusUrlFromIngest("https://x.example.com/eu/v1/ingest/")).toBe(
      "https://x.example.com/eu/v1/status",
    );
    expect(statusUrlFromIngest("https://x.example.com/push")).toBe(
      "https://x.example.com/v1/status",
    );
  });
});

import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { currentUid, installer } from "./installer.ts";
import { needs, tools } from "./tools.ts";

const redis = tools["redis-server"];
const { chromium } = tools;
const aptGet = "/usr/bin/apt-get";

describe("what each command needs", () => {
  it("npm start needs redis-server only, npm test redis-server and chromium", () => {
    expect(needs.start).toEqual(["redis-server"]);
    expect(needs.test).toEqual(["redis-server", "chromium"]);
  });
});

describe("decide", () => {
  it("does nothing when nothing is missing, whether or not it could install", () => {
    expect(decide([], { aptGet })).toEqual({ kind: "ready" });
    expect(decide([], { blocker: "no" })).toEqual({ kind: "ready" });
  });

  it("installs exactly the missing tools when it may", () => {
    expect(decide([{ tool: chromium }], { aptGet })).toEqual({
      kind: "install",
      missing: [chromium],
      aptGet,
    });
    expect(decide([{ tool: redis }, { tool: chromium }], { aptGet })).toEqual({
      kind: "install",
      missing: [redis, chromium],
      aptGet,
    });
  });

  it("stops with the installer's reason when it may not install", () => {
    expect(decide([{ tool: redis }], { blocker: "Not installing packages here: x." })).toEqual({
      kind: "stop",
      missing: [redis],
      reason: "Not installing packages here: x.",
    });
  });

  it("stops even as root with apt-get when a tool's variable points at nothing, since a package would not change that", () => {
    expect(decide([{ tool: redis, pinned: "/opt/redis/bin/redis-server" }], { aptGet })).toEqual({
      kind: "stop",
      missing: [redis],
      reason:
        'REDIS_SERVER_BIN is set to "/opt/redis/bin/redis-server", which is not an executable; point it at redis-server or unset it.',
    });
  });
});

describe("installer", () => {
  it("lets root with apt-get install", () => {
    expect(installer({ env: {}, uid: 0, aptGet })).toEqual({ aptGet });
  });

  it("refuses a user without root, even with apt-get", () => {
    expect(installer({ env: {}, uid: 1000, aptGet })).toEqual({
      blocker: "Not installing packages here: that needs root, and this runs as user 1000.",
    });
    expect(installer({ env: {}, uid: undefined, aptGet })).toEqual({
      blocker: "Not installing packages here: that needs root, and this runs as no user id.",
    });
  });

  it("refuses root without apt-get", () => {
    expect(installer({ env: {}, uid: 0, aptGet: undefined })).toEqual({
      blocker: "Not installing packages here: apt-get is not on PATH.",
    });
  });

  it("refuses when PREFLIGHT_INSTALL=0 turns installing off, and only 0 does", () => {
    expect(installer({ env: { PREFLIGHT_INSTALL: "0" }, uid: 0, aptGet })).toEqual({
      blocker: "Not installing packages here: PREFLIGHT_INSTALL=0.",
    });
    expect(installer({ env: { PREFLIGHT_INSTALL: "1" }, uid: 0, aptGet })).toEqual({ aptGet });
  });
});

describe("currentUid", () => {
  it("takes PREFLIGHT_UID when it is a number, else the process's own", () => {
    expect(currentUid({ PREFLIGHT_UID: "1000" })).toBe(1000);
    expect(currentUid({ PREFLIGHT_UID: "0" })).toBe(0);
    expect(currentUid({ PREFLIGHT_UID: "root" })).toBe(process.getuid?.());
    expect(currentUid({})).toBe(process.getuid?.());
  });
});

import { describe, expect, it } from "vitest";
import { installCommands } from "./installCommands.ts";
import { aptSteps, installedMessage, installingMessage, stopMessage } from "./messages.ts";
import { tools } from "./tools.ts";

const redis = tools["redis-server"];
const { chromium } = tools;

describe("installCommands", () => {
  it("names only redis-server's packages when only it is missing", () => {
    expect(installCommands([redis])).toEqual({
      apt: "sudo apt-get install -y redis-server",
      brew: "brew install redis",
      dnf: "sudo dnf install -y redis",
    });
  });

  it("installs Chromium as a Homebrew cask", () => {
    expect(installCommands([chromium])).toEqual({
      apt: "sudo apt-get install -y chromium",
      brew: "brew install --cask chromium",
      dnf: "sudo dnf install -y chromium",
    });
  });

  it("installs both in one command per package manager (two for Homebrew's formula and cask)", () => {
    expect(installCommands([redis, chromium])).toEqual({
      apt: "sudo apt-get install -y redis-server chromium",
      brew: "brew install redis && brew install --cask chromium",
      dnf: "sudo dnf install -y redis chromium",
    });
  });
});

describe("messages", () => {
  it("runs apt-get update once, then one install of the missing packages", () => {
    expect(aptSteps([redis, chromium])).toEqual([
      ["update"],
      ["install", "-y", "redis-server", "chromium"],
    ]);
  });

  it("says what it will install and how, before it does", () => {
    expect(installingMessage("start", [redis])).toBe(
      [
        "npm start needs redis-server, which was not found. Installing with apt-get (PREFLIGHT_INSTALL=0 turns this off):",
        "  apt-get update",
        "  apt-get install -y redis-server",
      ].join("\n"),
    );
  });

  it("says where it found what it installed", () => {
    expect(
      installedMessage([
        { tool: redis, path: "/usr/bin/redis-server" },
        { tool: chromium, path: "/usr/bin/chromium" },
      ]),
    ).toBe("Installed redis-server (/usr/bin/redis-server) and chromium (/usr/bin/chromium).");
  });

  it("stops with what is missing, why it does not install it, and the command per package manager", () => {
    expect(stopMessage("test", [redis, chromium], "Not installing packages here: x.")).toBe(
      [
        "npm test needs redis-server and chromium, which were not found.",
        "Not installing packages here: x.",
        "Install with one of:",
        "  apt   sudo apt-get install -y redis-server chromium",
        "  brew  brew install redis && brew install --cask chromium",
        "  dnf   sudo dnf install -y redis chromium",
        "or point REDIS_SERVER_BIN and CHROMIUM_PATH at them.",
      ].join("\n"),
    );
  });
});

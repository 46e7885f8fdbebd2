import { spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// The real preflight program as `npm test` runs it, with PATH reduced to one temporary directory
// that holds stand-ins: nothing here installs or removes a system package.
const root = resolve(import.meta.dirname, "../..");

// Each stand-in apt-get records its calls (and DEBIAN_FRONTEND) in apt-get.calls beside itself.
const recordCall = `echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >> "\${0%/*}/apt-get.calls"`;
// `install` writes an executable named after each package, as Debian's put redis-server and
// chromium on PATH.
const standInAptGet = `#!/bin/sh
${recordCall}
[ "$1" = install ] || exit 0
shift
for name in "$@"; do
  case "$name" in
    -*) ;;
    *) printf '#!/bin/sh\\nexit 0\\n' > "\${0%/*}/$name" && /bin/chmod 755 "\${0%/*}/$name" ;;
  esac
done
`;
const failingAptGet = `#!/bin/sh
${recordCall}
[ "$1" = install ] || exit 0
echo "E: Unable to locate package $3" >&2
exit 100
`;
const uselessAptGet = `#!/bin/sh\n${recordCall}\n`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "preflight-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const executable = async (name: string, script = "#!/bin/sh\nexit 0\n") => {
  await writeFile(join(dir, name), script);
  await chmod(join(dir, name), 0o755);
};

const aptCalls = () =>
  readFile(join(dir, "apt-get.calls"), "utf8").then(
    (text) => text.trimEnd().split("\n"),
    () => [],
  );

/** `node --import tsx local/preflight/main.ts <command>` with PATH = the temporary directory only. */
function preflight(command: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", "local/preflight/main.ts", command], {
    cwd: root,
    env: { PATH: dir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    child.once("error", fail);
    child.once("close", (code) => done({ code, stdout, stderr }));
  });
}

const asRoot = { PREFLIGHT_UID: "0" };

describe("the preflight program", () => {
  it("installs what npm test misses with apt-get as root, saying so, and then finds it", async () => {
    await executable("apt-get", standInAptGet);

    const run = await preflight("test", asRoot);

    expect(await aptCalls()).toEqual([
      "DEBIAN_FRONTEND=noninteractive update",
      "DEBIAN_FRONTEND=noninteractive install -y redis-server chromium",
    ]);
    expect(run).toEqual({
      code: 0,
      stdout: [
        "npm test needs redis-server and chromium, which were not found. Installing with apt-get (PREFLIGHT_INSTALL=0 turns this off):",
        "  apt-get update",
        "  apt-get install -y redis-server chromium",
        `Installed redis-server (${dir}/redis-server) and chromium (${dir}/chromium).`,
        "",
      ].join("\n"),
      stderr: "",
    });
  });

  it("installs only redis-server for npm start, which needs no browser", async () => {
    await executable("apt-get", standInAptGet);

    const run = await preflight("start", asRoot);

    expect(run.code).toBe(0);
    expect(await aptCalls()).toEqual([
      "DEBIAN_FRONTEND=noninteractive update",
      "DEBIAN_FRONTEND=noninteractive install -y redis-server",
    ]);
    expect(run.stdout).toContain(`Installed redis-server (${dir}/redis-server).`);
  });

  it("stops without apt-get on PATH, naming what is missing and the apt, brew and dnf commands", async () => {
    const run = await preflight("test", asRoot);

    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: [
        "npm test needs redis-server and chromium, which were not found.",
        "Not installing packages here: apt-get is not on PATH.",
        "Install with one of:",
        "  apt   sudo apt-get install -y redis-server chromium",
        "  brew  brew install redis && brew install --cask chromium",
        "  dnf   sudo dnf install -y redis chromium",
        "or point REDIS_SERVER_BIN and CHROMIUM_PATH at them.",
        "",
      ].join("\n"),
    });
  });

  it("stops without root, even with apt-get, and names only the package that is missing", async () => {
    await executable("apt-get", standInAptGet);
    await executable("redis-server");

    const run = await preflight("test", { PREFLIGHT_UID: "1000" });

    expect(run.code).toBe(1);
    expect(await aptCalls()).toEqual([]);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      [
        "npm test needs chromium, which was not found.",
        "Not installing packages here: that needs root, and this runs as user 1000.",
        "Install with one of:",
        "  apt   sudo apt-get install -y chromium",
        "  brew  brew install --cask chromium",
        "  dnf   sudo dnf install -y chromium",
        "or point CHROMIUM_PATH at it.",
        "",
      ].join("\n"),
    );
  });

  it("installs nothing as root when PREFLIGHT_INSTALL=0", async () => {
    await executable("apt-get", standInAptGet);

    const run = await preflight("start", { ...asRoot, PREFLIGHT_INSTALL: "0" });

    expect(run.code).toBe(1);
    expect(await aptCalls()).toEqual([]);
    expect(run.stderr).toContain("Not installing packages here: PREFLIGHT_INSTALL=0.");
    expect(run.stderr).toContain("  apt   sudo apt-get install -y redis-server\n");
  });

  it("stops when REDIS_SERVER_BIN points at nothing, rather than install a package it would not use", async () => {
    await executable("apt-get", standInAptGet);
    await executable("redis-server");

    const run = await preflight("start", { ...asRoot, REDIS_SERVER_BIN: `${dir}/nowhere` });

    expect(run.code).toBe(1);
    expect(await aptCalls()).toEqual([]);
    expect(run.stderr).toContain(`REDIS_SERVER_BIN is set to "${dir}/nowhere", which is not`);
  });

  it("stops with apt-get's own words when an install fails", async () => {
    await executable("apt-get", failingAptGet);

    const run = await preflight("start", asRoot);

    expect(run.code).toBe(1);
    expect(await aptCalls()).toEqual([
      "DEBIAN_FRONTEND=noninteractive update",
      "DEBIAN_FRONTEND=noninteractive install -y redis-server",
    ]);
    expect(run.stderr).toContain(
      "apt-get install -y redis-server failed (exit code 100):\nE: Unable to locate package redis-server\n",
    );
    expect(run.stderr).toContain("  apt   sudo apt-get install -y redis-server\n");
  });

  it("stops when apt-get succeeds yet what it installed is not found", async () => {
    await executable("apt-get", uselessAptGet);

    const run = await preflight("start", asRoot);

    expect(run.code).toBe(1);
    expect(await aptCalls()).toHaveLength(2);
    expect(run.stderr).toContain(
      "npm start needs redis-server, which was not found.\napt-get succeeded, yet what it installed is still not found.\n",
    );
  });

  it("is quiet and installs nothing when everything is there", async () => {
    await executable("apt-get", standInAptGet);
    await executable("redis-server");
    await executable("chromium");

    expect(await preflight("test", asRoot)).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(await preflight("start", asRoot)).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(await aptCalls()).toEqual([]);
  });

  it("refuses a command it does not know", async () => {
    const run = await preflight("deploy", asRoot);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe("usage: node --import tsx local/preflight/main.ts start|test\n");
  });
});

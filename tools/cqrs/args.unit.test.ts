import { describe, expect, it } from "vitest";
import { parseCqrsArgs, parseTimeout, UsageError } from "./args.ts";

const command = (...argv: string[]) => {
  const args = parseCqrsArgs(argv);
  if (args.help) throw new Error("help");
  return args;
};

describe("parseCqrsArgs", () => {
  it("parses each command with its flags", () => {
    expect(command("status", "--json")).toMatchObject({
      command: { name: "status", fresh: false },
      json: true,
    });
    expect(command("status", "--fresh")).toMatchObject({
      command: { name: "status", fresh: true },
    });
    expect(command("verify").command).toEqual({ name: "verify", timeoutMs: 30_000 });
    expect(command("verify", "--timeout", "2.5").command).toEqual({
      name: "verify",
      timeoutMs: 2_500,
    });
    expect(command("dlq", "list").command).toEqual({ name: "dlq list" });
    expect(command("dlq", "redrive", "--all").command).toEqual({
      name: "dlq redrive",
      all: true,
      dlqIds: [],
    });
    expect(command("dlq", "redrive", "dlq_1", "dlq_2").command).toMatchObject({
      all: false,
      dlqIds: ["dlq_1", "dlq_2"],
    });
    expect(command("replay", "--target", "x.db", "--from", "40").command).toEqual({
      name: "replay",
      target: "x.db",
      from: 40,
      batchSize: 1_000,
    });
    expect(command("rebuild", "us-bun").command).toEqual({
      name: "rebuild",
      all: false,
      regions: ["us-bun"],
      timeoutMs: 300_000,
    });
    expect(command("rebuild", "--all", "--timeout", "60", "--json")).toMatchObject({
      command: { name: "rebuild", all: true, regions: [], timeoutMs: 60_000 },
      json: true,
    });
    expect(command("rebuild", "us-bun", "ap-deno").command).toMatchObject({
      regions: ["us-bun", "ap-deno"],
    });
  });

  it("collects where the stack is", () => {
    const { connection } = command(
      "status",
      "--write-api",
      "http://w",
      "--reader",
      "http://a",
      "--reader",
      "http://b",
      "--admin-token",
      "adm",
    );
    expect(connection).toMatchObject({
      writeApi: "http://w",
      readers: ["http://a", "http://b"],
      adminToken: "adm",
    });
  });

  it("answers --help anywhere", () => {
    expect(parseCqrsArgs(["--help"])).toEqual({ help: true });
    expect(parseCqrsArgs(["verify", "-h"])).toEqual({ help: true });
  });

  it.each([
    [[]],
    [["frobnicate"]],
    [["status", "--frob"]],
    [["status", "--all"]],
    [["status", "extra"]],
    [["verify", "--timeout", "soon"]],
    [["dlq"]],
    [["dlq", "purge"]],
    [["dlq", "redrive"]],
    [["dlq", "redrive", "--all", "dlq_1"]],
    [["replay"]],
    [["replay", "--target", "x.db", "--from", "-1"]],
    [["dlq", "list", "--timeout", "3"]],
    [["rebuild"]],
    [["rebuild", "--all", "us-bun"]],
    [["rebuild", "us-bun", "--target", "x.db"]],
    [["rebuild", "us-bun", "--timeout", "later"]],
  ])("refuses %j with a UsageError", (argv) => {
    expect(() => parseCqrsArgs(argv)).toThrow(UsageError);
  });

  it("reads timeouts in seconds or milliseconds", () => {
    expect(parseTimeout("30")).toBe(30_000);
    expect(parseTimeout("5s")).toBe(5_000);
    expect(parseTimeout("500ms")).toBe(500);
  });
});

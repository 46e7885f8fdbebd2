import { describe, expect, it } from "vitest";
import { resolveStackTarget, StackNotFoundError } from "./stackTarget.ts";

const stackJson = JSON.stringify({
  writeApi: { url: "http://127.0.0.1:8080/" },
  qstash: { url: "http://127.0.0.1:8081" },
  readers: [{ region: "us-bun", url: "http://127.0.0.1:8092", runtime: "bun", store: "sqlite" }],
  tokens: { admin: "adm", reader: "rdr" },
});
const files: Record<string, string> = {
  "/repo/.data/stack.json": stackJson,
  "/repo/.data/secrets.json": JSON.stringify({ qstashToken: "qst" }),
  "/elsewhere/stack.json": stackJson,
};
const readText = (path: string) => files[path] ?? null;

describe("resolveStackTarget", () => {
  it("reads .data/stack.json and the QStash token from secrets.json beside it", () => {
    expect(resolveStackTarget({ readers: [] }, { env: {}, cwd: "/repo", readText })).toEqual({
      writeApi: "http://127.0.0.1:8080",
      readers: [
        { region: "us-bun", url: "http://127.0.0.1:8092", runtime: "bun", store: "sqlite" },
      ],
      tokens: { admin: "adm", reader: "rdr" },
      qstash: { url: "http://127.0.0.1:8081", token: "qst" },
    });
  });

  it("lets flags win over env and env over files", () => {
    const target = resolveStackTarget(
      { readers: ["http://r1/"], readerToken: "flag", stack: "/elsewhere/stack.json" },
      {
        env: { READER_TOKEN: "env", ADMIN_TOKEN: "env-adm", QSTASH_TOKEN: "env-q" },
        cwd: "/repo",
        readText,
      },
    );
    expect(target.readers).toEqual([{ url: "http://r1" }]);
    expect(target.tokens).toEqual({ admin: "env-adm", reader: "flag" });
    expect(target.qstash.token).toBe("env-q");
  });

  it("needs no file when --write-api is given", () => {
    const target = resolveStackTarget(
      { writeApi: "http://w", readers: ["http://r"] },
      { env: {}, cwd: "/nowhere", readText: () => null },
    );
    expect(target).toMatchObject({ writeApi: "http://w", readers: [{ url: "http://r" }] });
  });

  it("says where it looked when there is no stack file", () => {
    expect(() =>
      resolveStackTarget({ readers: [] }, { env: {}, cwd: "/nowhere", readText: () => null }),
    ).toThrow(
      new StackNotFoundError(
        "no stack file at /nowhere/.data/stack.json: start one with `npm start`, or pass --stack <file> or --write-api <url>",
      ),
    );
  });
});

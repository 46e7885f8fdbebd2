import { describe, expect, it } from "vitest";
import { cachedStatements } from "./syncDatabase.ts";

describe("cachedStatements", () => {
  const counting = (max: number) => {
    const prepared: string[] = [];
    const statement = cachedStatements((sql) => {
      prepared.push(sql);
      return { sql };
    }, max);
    return { prepared, statement };
  };

  it("prepares a text once and hands the same statement back", () => {
    const { prepared, statement } = counting(3);
    const first = statement("SELECT 1");
    expect(statement("SELECT 1")).toBe(first);
    statement("SELECT 2");
    expect(statement("SELECT 1")).toBe(first);
    expect(prepared).toEqual(["SELECT 1", "SELECT 2"]);
  });

  it("keeps at most its bound: past it the oldest text is let go and prepared again when asked", () => {
    const { prepared, statement } = counting(2);
    for (let i = 0; i < 100; i++) statement(`SELECT ${i}`);
    expect(prepared).toHaveLength(100);
    // 98 and 99 are kept, 97 is gone
    statement("SELECT 99");
    statement("SELECT 98");
    expect(prepared).toHaveLength(100);
    statement("SELECT 97");
    expect(prepared.at(-1)).toBe("SELECT 97");
    expect(prepared).toHaveLength(101);
  });
});

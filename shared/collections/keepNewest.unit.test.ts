import { expect, it } from "vitest";
import { keepNewest } from "./keepNewest.ts";

it("keeps the newest entries up to the bound, dropping the oldest first", () => {
  const map = new Map(["a", "b", "c", "d", "e"].map((k, i) => [k, i]));
  keepNewest(map, 5);
  expect([...map.keys()]).toEqual(["a", "b", "c", "d", "e"]);
  map.delete("b");
  map.set("b", 9);
  keepNewest(map, 3);
  expect([...map.entries()]).toEqual([
    ["d", 3],
    ["e", 4],
    ["b", 9],
  ]);
  keepNewest(map, 0);
  expect(map.size).toBe(0);
});

import { describe, expect, it } from "vitest";
import type { Category } from "../domain/catalog.ts";
import { EventLog } from "../testing/eventLog.ts";
import { foldEntities } from "./fold.ts";

const categoriesOf = (log: EventLog): Map<string, Category> =>
  foldEntities(new Map(), new Map(), log.events).categories as Map<string, Category>;

describe("foldEntities and the caller's categories", () => {
  it("reads the caller's map as it is when no event changes a category", () => {
    const log = new EventLog();
    const lamps = log.category("lamps", "Lamps");
    const categories = categoriesOf(log);
    const more = new EventLog();
    more.category("lamps", "Lamps");
    const lamp = more.product({ slug: "lamp", name: "Lamp", categoryId: lamps });
    const fold = foldEntities(categories, new Map(), more.events.slice(1));
    expect(fold.products.get(lamp)?.name).toBe("Lamp");
    expect(fold.categories).toBe(categories);
  });

  it("changes a copy, never the caller's map, when events create or rename categories", () => {
    const log = new EventLog();
    const lamps = log.category("lamps", "Lamps");
    const categories = categoriesOf(log);
    const before = [...categories.values()];
    const later = new EventLog();
    later.category("lamps", "Lamps");
    const rugs = later.category("rugs", "Rugs");
    later.renameCategory(lamps, "Lights");
    const fold = foldEntities(categories, new Map(), later.events.slice(1));
    expect(fold.categories).not.toBe(categories);
    expect(fold.categories.get(lamps)?.name).toBe("Lights");
    expect(fold.categories.has(rugs)).toBe(true);
    expect([...categories.values()]).toEqual(before);
  });
});

import { expect } from "vitest";
import type { StoredEvent } from "../events/types.ts";
import type { AnyReadModel, DataOf, InputOf } from "../views/models/readModel.ts";
import { createMemoryViewStore } from "../views/stores/memory/memoryViewStore.ts";
import type { ViewStore } from "../views/viewStore.ts";
import { readModel } from "./modelReads.ts";

/** One read and the answer it must give, written by hand. */
export interface ViewExpectation {
  model: AnyReadModel;
  input: unknown;
  /** the parsed body; null for a 404 (no page, no category) */
  data: unknown;
}

/**
 * @example
 * view(categoryStats, { slug: "lamps" }, { category: lamps, productCount: 2, … });
 */
export const view = <M extends AnyReadModel>(
  model: M,
  input: InputOf<M>,
  data: DataOf<M> | null,
): ViewExpectation => ({ model, input, data });

/**
 * Two ways the same log reaches a store: the projection folds a batch at once
 * (needs loaded per batch) and event by event, and both must give the written
 * answer, so a spec pins the batch path and the single-event path alike.
 */
const deliveries: Record<string, (given: StoredEvent[], when: StoredEvent[]) => StoredEvent[][]> = {
  "given, then when, each as one batch": (given, when) =>
    [given, when].filter((batch) => batch.length > 0),
  "one event at a time": (given, when) => [...given, ...when].map((e) => [e]),
};

export interface ViewThen {
  /** every expected read, compared whole with the store's answer */
  then(...expected: ViewExpectation[]): Promise<void>;
}

/**
 * Given/when/then for the projection, after Emmett's projection specs: given
 * events, when events, then the bodies the read models answer, each written
 * out by hand, never computed by the projection under test. Seqs must follow
 * on: build both with one `EventLog`, given first. The in-memory reference
 * store by default; any `ViewStore` opener runs the same specs.
 *
 * @example
 * const log = catalog();
 * await ViewSpecification.for().given(log.events).when(log.archive("prd_lamp"))
 *   .then(view(productPage, { slug: "lamp" }, { …, status: "archived" }));
 */
export const ViewSpecification = {
  for: (open: () => ViewStore | Promise<ViewStore> = createMemoryViewStore) => ({
    given: (events: readonly StoredEvent[]) => {
      // copied now: `when` arguments are usually appended to the same log
      const given = [...events];
      return {
        when: (...when: StoredEvent[]): ViewThen => ({
          // biome-ignore lint/suspicious/noThenProperty: Emmett's given/when/then wording; `then` takes expectations and returns the promise to await
          async then(...expected) {
            expect(expected.length, "a spec with nothing to check").toBeGreaterThan(0);
            for (const [name, batchesOf] of Object.entries(deliveries)) {
              const store = await open();
              try {
                for (const batch of batchesOf(given, when)) {
                  expect((await store.apply(batch)).status, `${name}: apply`).toBe("applied");
                }
                for (const { model, input, data } of expected) {
                  const read = await readModel(store, model, input);
                  expect(
                    read.data,
                    `${name}: ${model.name} ${JSON.stringify(input)}`,
                  ).toStrictEqual(data);
                }
              } finally {
                await store.close();
              }
            }
          },
        }),
      };
    },
  }),
};

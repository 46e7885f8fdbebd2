import type { AnyReadModel, DataOf, InputOf } from "../views/models/readModel.ts";
import { readModelList } from "../views/models/readModelList.ts";
import type { Read, ViewStore } from "../views/viewStore.ts";

type Models = (typeof readModelList)[number];

/** Every read model as a typed method of a store: its input in, its data parsed out. */
export type ModelReads = {
  [M in Models as M["name"]]: (
    ...args: Record<string, never> extends InputOf<M> ? [input?: InputOf<M>] : [input: InputOf<M>]
  ) => Promise<Read<DataOf<M>>>;
};

/**
 * A read through the port: the model plans the input (a bad one rejects with
 * the typed 400 a route would answer), the store answers its stored JSON, and
 * the JSON is parsed, so tests look at data.
 *
 * @example
 * await readModel(store, productPage, { slug: "desk-lamp" }); // → { watermark: 9, data: { … } }
 */
export async function readModel<M extends AnyReadModel>(
  store: ViewStore,
  model: M,
  input: InputOf<M>,
): Promise<Read<DataOf<M>>> {
  const read = await store.read(model, model.plan(input));
  return { watermark: read.watermark, data: read.body === null ? null : JSON.parse(read.body) };
}

/**
 * The typed reads of a store, one method per read model.
 *
 * @example
 * const reads = readsOf(store);
 * (await reads.productPage({ slug: "desk-lamp" })).data?.name; // → "Desk lamp"
 */
export function readsOf(store: ViewStore): ModelReads {
  return Object.fromEntries(
    (readModelList as readonly AnyReadModel[]).map((model) => [
      model.name,
      (input: unknown) => readModel(store, model, input ?? {}),
    ]),
  ) as ModelReads;
}

import type { Redis } from "@upstash/redis";
import type { z } from "zod";
import type { StoredEvent } from "../../events/types.ts";
import type { MemoryRecords } from "../stores/memory/memoryRecords.ts";
import type { RedisKeys } from "../stores/redis/keys.ts";
import type { SqlConnection } from "../stores/sql/connection.ts";
import type { ViewTables } from "../stores/sql/tables.ts";

/**
 * A read as a store answers it: the JSON text of the answer's data, spliced
 * from what the store keeps (never parsed and serialized again), or null when
 * there is none; and the watermark it was read at, from the same snapshot.
 */
export interface StoredRead {
  watermark: number;
  body: string | null;
}

/** A request's path parameters and query string, as Hono's `c.req` gives them. */
export interface RequestInput {
  param(name: string): string | undefined;
  query(name: string): string | undefined;
}

/** A parameter as the OpenAPI document states it. */
export type ParameterDoc = { [key: string]: unknown };

/** A SQL read over one namespace's tables: one statement, prepared once by the binding. */
export type SqlRead<Plan> = (db: SqlConnection, plan: Plan) => Promise<StoredRead>;

/** What a Redis read has: the client, the namespace's keys, and its own script if it has one. */
export interface RedisReadContext {
  redis: Redis;
  keys: RedisKeys;
  /** `exec` sends EVALSHA_RO, EVAL_RO once after a NOSCRIPT; present when the model has `lua` */
  script?: { exec(keys: string[], args: string[]): Promise<unknown> };
}

/** Indexes a read model keeps over the projection's records, beyond what every store keeps. */
export interface ModelIndexes {
  /** DDL run with the SQL store's own (idempotent: `CREATE INDEX IF NOT EXISTS`) */
  sql?(t: ViewTables): string[];
  /**
   * Lua run by the Redis apply script for each old (`add` false) and new
   * (`add` true) listing entry of a changed product, in the script's scope
   * (`later`, `K`, `P`): `function(id, entry, add) … end`.
   */
  redisListing?: string;
}

/**
 * One storefront read, defined once: its route, parameters and response
 * schema, how each store answers it, and the indexes it needs. Routes, the
 * OpenAPI document, the storefront client, the stores' `read` and the
 * contract suite are all derived from the list of these (`readModelList`).
 *
 * `Input` is what a client asks (typed request parameters); `Plan` is the
 * input validated with its cursor decoded, what a store reads by; `Data` is
 * the answer, which stores keep as the JSON text a response carries.
 */
export interface ReadModel<
  Input,
  Plan,
  Data,
  Name extends string = string,
  Key extends string = string,
> {
  /** the model's name: the client's method, the route's metric label, the version key */
  readonly name: Name;
  /** bumped when what the projection stores for this model changes: every replica rebuilds */
  readonly version: number;
  /** the answer's key: `{ [key]: data, watermark }` */
  readonly key: Key;
  /** the route under `/v1` (and `/v1/read` on the write API), Hono syntax */
  readonly path: string;
  readonly summary: string;
  readonly parameters: readonly ParameterDoc[];
  /** statuses besides 200 the read answers (the consistency layer adds its own) */
  readonly statuses: readonly number[];
  /** the OpenAPI component name of the whole answer */
  readonly responseName: string;
  readonly data: z.ZodType<Data>;
  /** the 404's message when a store has no answer; null: every input has one */
  readonly notFound: string | null;
  /** the typed input from a request; a 4xx for what cannot be one */
  input(request: RequestInput): Input;
  /** the path and query string of an input: `input`'s inverse, for clients */
  url(input: Input): string;
  /** the input validated, cursor decoded; a typed 400 when it cannot be read */
  plan(input: Input): Plan;
  /**
   * The read scopes (`readScopes`) the answer depends on: a consistency token
   * naming none of them lets a lagging replica serve the read at once.
   */
  scopes(plan: Plan): readonly string[];
  /** inputs that exercise this read over a log: the contract compares stores on them */
  examples(events: readonly StoredEvent[]): Input[];
  readonly sql: (t: ViewTables) => SqlRead<Plan>;
  readonly redis: {
    readonly lua?: string;
    read(ctx: RedisReadContext, plan: Plan): Promise<StoredRead>;
  };
  /** the reference store's answer: a scan of the records, obviously right */
  memory(records: MemoryRecords, plan: Plan): Data | null;
  readonly indexes?: ModelIndexes;
}

/** Any read model, as stores and wrappers take one. */
// biome-ignore lint/suspicious/noExplicitAny: a store reads any model's plan; each model is typed where it is defined
export type AnyReadModel = ReadModel<any, any, any, string, string>;

// biome-ignore lint/suspicious/noExplicitAny: matching any model to infer one of its types
export type InputOf<M> = M extends ReadModel<infer I, any, any, string> ? I : never;
// biome-ignore lint/suspicious/noExplicitAny: as above
export type PlanOf<M> = M extends ReadModel<any, infer P, any, string> ? P : never;
// biome-ignore lint/suspicious/noExplicitAny: as above
export type DataOf<M> = M extends ReadModel<any, any, infer D, string> ? D : never;

/**
 * Defines a read model; its types name its input, plan, answer and name.
 *
 * @example
 * export const productPage = readModel<{ slug: string }, { slug: string }, ProductPage, "productPage", "product">({ … });
 */
export const readModel = <Input, Plan, Data, Name extends string, Key extends string>(
  model: ReadModel<Input, Plan, Data, Name, Key>,
): ReadModel<Input, Plan, Data, Name, Key> => model;

import type { Command } from "../../shared/commands/schemas.ts";
import type { StoredEvent } from "../../shared/events/types.ts";
import type { Tx } from "../db/writeTransactions.ts";
import { appendEvents } from "../eventStore/eventStore.ts";
import { applyToTables } from "./applyToTables.ts";
import { decide, type IdSource } from "./decide.ts";
import { loadCategory, loadDecisionState } from "./loadDecisionState.ts";
import { touchedScopes } from "./touchedScopes.ts";

export interface CommandOutcome {
  /** seq of the last event the commands appended: the write's version */
  version: number;
  results: { id: string }[];
  events: StoredEvent[];
  /** the read scopes the events changed (`touchedScopes`); null when too wide to name */
  scopes: string[] | null;
}

/**
 * Points where tests inject a crash to prove a command commits whole or not at
 * all. Never set in production.
 */
export interface FaultHooks {
  afterEventAppend?(): void;
  afterTableWrite?(): void;
  beforeCommit?(): void;
}

export interface RunOptions {
  ids: IdSource;
  faults?: FaultHooks;
  at: string;
  /** the write request's id, stored with each event */
  requestId?: string;
}

/**
 * Runs commands inside the caller's write transaction: each is decided
 * against the state the previous ones left, its events appended, the tables
 * changed. Any error propagates, and the caller's transaction rolls back all.
 *
 * @example
 * await primary.write((tx) => runCommands(tx, commands, { ids: timeOrderedIds, at }));
 */
export async function runCommands(
  tx: Tx,
  commands: Command[],
  options: RunOptions,
): Promise<CommandOutcome> {
  const outcome: CommandOutcome = { version: 0, results: [], events: [], scopes: [] };
  const scopes = new Set<string>();
  let unbounded = false;
  // a category's slug never changes: a batch of products in one category looks it up once
  const slugs = new Map<string, string | null>();
  const lookups = {
    async categorySlug(id: string) {
      if (!slugs.has(id)) slugs.set(id, (await loadCategory(tx, id))?.slug ?? null);
      return slugs.get(id) ?? null;
    },
  };
  for (const command of commands) {
    const state = await loadDecisionState(tx, command);
    // the category the command named, already loaded: its scope needs no second lookup
    if (state.category) slugs.set(state.category.id, state.category.slug);
    const decision = decide(command, state, options.ids);
    const stored = await appendEvents(tx, decision.events, options.at, {
      requestId: options.requestId,
    });
    options.faults?.afterEventAppend?.();
    for (const event of stored) await applyToTables(tx, event);
    options.faults?.afterTableWrite?.();
    outcome.events.push(...stored);
    outcome.results.push({ id: decision.id });
    // after the tables changed: a category this command created has its slug there
    const touched = unbounded ? null : await touchedScopes(decision.events, state, lookups);
    if (touched === null) unbounded = true;
    else for (const scope of touched) scopes.add(scope);
  }
  outcome.version = outcome.events.at(-1)?.seq ?? 0;
  outcome.scopes = unbounded ? null : [...scopes];
  return outcome;
}

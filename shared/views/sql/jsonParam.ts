import { type SQL, sql } from "drizzle-orm";

/**
 * A statement whose single `?` is bound to `value` as JSON text, for SQLite's
 * json_each: a whole list of keys or rows in one parameter, so statement size
 * and parameter limits never depend on batch size.
 *
 * @example
 * await tx.all(withJson("SELECT data FROM view_page WHERE slug IN (SELECT value FROM json_each(?))", slugs));
 */
export function withJson(statement: string, value: unknown): SQL {
  const [before, after] = statement.split("?");
  return sql`${sql.raw(before ?? "")}${JSON.stringify(value)}${sql.raw(after ?? "")}`;
}

/**
 * Where the primary's views live unless `VIEWS_DATABASE_URL` says otherwise:
 * a file beside a local primary's (`file:.data/primary.db` →
 * `file:.data/primary.views.db`), so their commits never share the log's
 * fsync; `:memory:` beside an in-memory primary; for a remote primary (Turso,
 * sqld) a local file in `.data`, since the views are only a fold of its log.
 *
 * @example
 * inlineViewsUrl("file:.data/primary.db"); // → "file:.data/primary.views.db"
 */
export function inlineViewsUrl(primaryUrl: string): string {
  if (!primaryUrl.startsWith("file:")) return "file:.data/primary.views.db";
  const path = primaryUrl.slice("file:".length).split("?")[0] ?? "";
  if (path === ":memory:" || path === "") return ":memory:";
  return `file:${path.replace(/(\.db)?$/, ".views.db")}`;
}

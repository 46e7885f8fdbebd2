/** The filters and paging the list endpoints (`/v2/dlq`, `/v2/events`, bulk deletes) accept. */
export interface ListQuery {
  /** `dlqIds` or `messageIds`: when given, the other filters are ignored, as QStash documents. */
  ids?: string[];
  messageId?: string[];
  url?: string[];
  topicName?: string[];
  label?: string[];
  state?: string[];
  responseStatus?: number[];
  flowControlKey?: string[];
  fromDate?: number;
  toDate?: number;
  /** Set when a filter names something this server never has (schedules, queues): nothing matches. */
  matchesNothing: boolean;
  count: number;
  offset: number;
}

/** What a list filter can look at in one record. */
export interface Filterable {
  id: string;
  messageId: string;
  url: string;
  topicName?: string;
  labels: string[];
  state?: string;
  responseStatus?: number;
  flowControlKey?: string;
  time: number;
}

const many = (params: URLSearchParams, name: string): string[] | undefined => {
  const values = params.getAll(name).flatMap((value) => value.split(","));
  return values.length > 0 ? values : undefined;
};

const int = (params: URLSearchParams, name: string): number | undefined => {
  const value = params.get(name);
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
};

/**
 * Reads list filters from a query string the way the SDK writes them: arrays
 * as repeated parameters, `urlGroup` already renamed to `topicName`, dates as
 * unix milliseconds, `cursor` as the opaque value of a previous page.
 *
 * @example
 * parseListQuery(new URL("http://q/v2/dlq?url=https://a&count=10").searchParams, "dlqIds");
 */
export const parseListQuery = (
  params: URLSearchParams,
  idsParam: "dlqIds" | "messageIds",
  defaultCount = 100,
): ListQuery => ({
  ids: many(params, idsParam),
  messageId: many(params, "messageId"),
  url: many(params, "url"),
  topicName: many(params, "topicName"),
  label: many(params, "label"),
  state: many(params, "state"),
  responseStatus: many(params, "responseStatus")?.map(Number),
  flowControlKey: many(params, "flowControlKey"),
  fromDate: int(params, "fromDate"),
  toDate: int(params, "toDate"),
  matchesNothing: ["scheduleId", "queueName"].some((name) => params.has(name)),
  count: Math.min(Math.max(int(params, "count") ?? defaultCount, 1), 1_000),
  offset: int(params, "cursor") ?? 0,
});

const within = <T>(allowed: T[] | undefined, value: T | undefined): boolean =>
  allowed === undefined || (value !== undefined && allowed.includes(value));

/**
 * Whether a record passes every filter of a query.
 *
 * @example
 * items.filter((item) => matchesQuery(query, toFilterable(item)));
 */
export const matchesQuery = (query: ListQuery, item: Filterable): boolean => {
  if (query.matchesNothing) return false;
  if (query.ids) return query.ids.includes(item.id);
  return (
    within(query.messageId, item.messageId) &&
    within(query.url, item.url) &&
    within(query.topicName, item.topicName) &&
    within(query.state, item.state) &&
    within(query.responseStatus, item.responseStatus) &&
    within(query.flowControlKey, item.flowControlKey) &&
    (query.label === undefined || item.labels.some((label) => query.label?.includes(label))) &&
    (query.fromDate === undefined || item.time >= query.fromDate) &&
    (query.toDate === undefined || item.time <= query.toDate)
  );
};

/**
 * One page of already filtered records; the cursor is the offset of the next
 * page, absent on the last one (the SDK loops until it is undefined).
 *
 * @example
 * const { items, cursor } = paginate(all, query);
 */
export const paginate = <T>(items: T[], query: ListQuery): { items: T[]; cursor?: string } => {
  const end = query.offset + query.count;
  const page = items.slice(query.offset, end);
  return end < items.length ? { items: page, cursor: String(end) } : { items: page };
};

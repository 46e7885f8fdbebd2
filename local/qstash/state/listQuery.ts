import { QStashHttpError } from "../http/errors.ts";

/** The filters and paging the list endpoints (`/v2/dlq`, `/v2/logs`, bulk deletes and cancels) accept. */
export interface ListQuery {
  /** `dlqIds` or `messageIds`: when given, the other filters are ignored, as QStash documents. */
  ids?: string[];
  messageId?: string[];
  url?: string[];
  /** the destination URL's host and path (message cancel and logs only) */
  host?: string[];
  path?: string[];
  topicName?: string[];
  label?: string[];
  state?: string[];
  responseStatus?: number[];
  callerIp?: string[];
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
  callerIp?: string;
  flowControlKey?: string;
  time: number;
}

/** Which list endpoint a query is for: each documents its own filters. */
export type ListEndpoint = "dlq" | "messages" | "logs";

const universal = ["fromDate", "toDate", "callerIp", "label", "flowControlKey", "count"];
const identity = ["url", "topicName", "scheduleId", "queueName"];
/**
 * The parameters each endpoint documents (QStash's API reference and the
 * SDK's filter types). Anything else is refused: a misspelled filter must not
 * widen a bulk delete to everything.
 */
const accepted: Record<ListEndpoint, ReadonlySet<string>> = {
  dlq: new Set([...universal, ...identity, "dlqIds", "cursor", "messageId", "responseStatus"]),
  messages: new Set([...universal, ...identity, "messageIds", "cursor", "host", "path"]),
  logs: new Set([
    ...universal,
    ...identity,
    "messageIds",
    "messageId",
    "cursor",
    "state",
    "host",
    "path",
  ]),
};

const idsParam: Record<ListEndpoint, "dlqIds" | "messageIds"> = {
  dlq: "dlqIds",
  messages: "messageIds",
  logs: "messageIds",
};

const many = (params: URLSearchParams, name: string): string[] | undefined => {
  const values = params.getAll(name).flatMap((value) => value.split(","));
  return values.length > 0 ? values : undefined;
};

const int = (params: URLSearchParams, name: string): number | undefined => {
  const value = params.get(name);
  if (value === null) return undefined;
  if (!/^\d+$/.test(value)) throw new QStashHttpError(400, `invalid ${name}: ${value}`);
  return Number(value);
};

/**
 * Reads list filters from a query string the way the SDK writes them: arrays
 * as repeated parameters, `urlGroup` already renamed to `topicName`, dates as
 * unix milliseconds, `cursor` as the opaque value of a previous page. An
 * unknown parameter or a malformed number is a 400, as QStash answers.
 *
 * @example
 * parseListQuery(new URL("http://q/v2/dlq?url=https://a&count=10").searchParams, "dlq");
 */
export const parseListQuery = (
  params: URLSearchParams,
  endpoint: ListEndpoint,
  defaultCount = 100,
): ListQuery => {
  for (const name of new Set(params.keys())) {
    if (!accepted[endpoint].has(name)) {
      throw new QStashHttpError(400, `unknown filter for ${endpoint}: ${name}`);
    }
  }
  const responseStatus = many(params, "responseStatus");
  if (responseStatus?.some((status) => !/^\d{3}$/.test(status))) {
    throw new QStashHttpError(400, `invalid responseStatus: ${responseStatus.join(",")}`);
  }
  return {
    ids: many(params, idsParam[endpoint]),
    messageId: many(params, "messageId"),
    url: many(params, "url"),
    host: many(params, "host"),
    path: many(params, "path"),
    topicName: many(params, "topicName"),
    label: many(params, "label"),
    state: many(params, "state"),
    responseStatus: responseStatus?.map(Number),
    callerIp: many(params, "callerIp"),
    flowControlKey: many(params, "flowControlKey"),
    fromDate: int(params, "fromDate"),
    toDate: int(params, "toDate"),
    matchesNothing: ["scheduleId", "queueName"].some((name) => params.has(name)),
    count: Math.min(Math.max(int(params, "count") ?? defaultCount, 1), 1_000),
    offset: int(params, "cursor") ?? 0,
  };
};

const parsedUrl = (url: string): URL | undefined => {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
};
const hostOf = (url: string) => parsedUrl(url)?.host;
const pathOf = (url: string) => parsedUrl(url)?.pathname;

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
    within(query.host, hostOf(item.url)) &&
    within(query.path, pathOf(item.url)) &&
    within(query.callerIp, item.callerIp) &&
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

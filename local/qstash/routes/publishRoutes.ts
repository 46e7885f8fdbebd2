import type { Hono } from "hono";
import type { QStashCore } from "../core.ts";
import { QStashHttpError } from "../http/errors.ts";
import { callerIpOf, readBytes, readJson } from "../http/requestBody.ts";
import { parseDestination, readDestination } from "../publish/destination.ts";
import type { PublishBody } from "../publish/publisher.ts";
import { parsePublishSpec } from "../publish/publishSpec.ts";

interface BatchItem {
  destination: string;
  headers?: Record<string, string>;
  body?: string;
  queue?: string;
}

const isBatchItem = (value: unknown): value is BatchItem => {
  if (typeof value !== "object" || value === null) return false;
  const item = value as Record<string, unknown>;
  const headersOk =
    item.headers === undefined ||
    (typeof item.headers === "object" &&
      item.headers !== null &&
      Object.values(item.headers).every((v) => typeof v === "string"));
  return (
    typeof item.destination === "string" &&
    headersOk &&
    (item.body === undefined || typeof item.body === "string")
  );
};

/**
 * `POST /v2/publish/{destination}` and `POST /v2/batch`, as the SDK's
 * `publish`/`publishJSON` and `batch`/`batchJSON` call them. A batch answers
 * one entry per message, an array for a URL group, `{ error }` for a message
 * that was refused, while the others still go out (QStash's batching docs).
 *
 * @example
 * publishRoutes(core)(app);
 */
export const publishRoutes = (core: QStashCore) => (app: Hono) => {
  app.post("/v2/publish/*", async (c) => {
    const destination = readDestination(c.req.url, "/v2/publish/");
    if (!destination) throw new QStashHttpError(400, "invalid destination");
    const body = await readBytes(c, core.maxBodyBytes);
    const spec = parsePublishSpec(c.req.raw.headers, body, core.now(), core.defaults);
    const outcome = core.publisher.publish(destination, spec, callerIpOf(c));
    return c.json(outcome.body, outcome.status);
  });

  app.post("/v2/batch", async (c) => {
    const items = await readJson(c);
    if (!Array.isArray(items)) throw new QStashHttpError(400, "batch body must be a JSON array");
    const callerIp = callerIpOf(c);
    const results: Array<PublishBody | { error: string }> = items.map((item: unknown) => {
      try {
        if (!isBatchItem(item)) throw new QStashHttpError(400, "invalid batch message");
        if (item.queue !== undefined) {
          throw new QStashHttpError(501, "queues are not supported by the local QStash server");
        }
        const destination = parseDestination(item.destination);
        if (!destination) throw new QStashHttpError(400, "invalid destination");
        const body = new TextEncoder().encode(item.body ?? "");
        if (body.byteLength > core.maxBodyBytes) {
          throw new QStashHttpError(413, `message body is larger than ${core.maxBodyBytes} bytes`);
        }
        const headers = new Headers(item.headers ?? {});
        const spec = parsePublishSpec(headers, body, core.now(), core.defaults);
        return core.publisher.publish(destination, spec, callerIp).body;
      } catch (error) {
        if (error instanceof QStashHttpError) return { error: error.message };
        throw error;
      }
    });
    return c.json(results, 201);
  });
};

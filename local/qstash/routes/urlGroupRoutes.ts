import type { Hono } from "hono";
import type { QStashCore } from "../core.ts";
import { QStashHttpError } from "../http/errors.ts";
import { readJson } from "../http/requestBody.ts";
import { URL_GROUP_NAME } from "../publish/destination.ts";
import type { Endpoint, EndpointRef } from "../state/urlGroupStore.ts";

const isHttpUrl = (value: unknown): value is string =>
  typeof value === "string" && /^https?:\/\//i.test(value) && URL.canParse(value);

const groupName = (name: string): string => {
  if (!URL_GROUP_NAME.test(name)) {
    throw new QStashHttpError(
      400,
      "url group name can only contain alphanumeric, hyphen, underscore and period characters",
    );
  }
  return name;
};

const endpointList = (payload: unknown): Record<string, unknown>[] => {
  const endpoints = (payload as { endpoints?: unknown } | null)?.endpoints;
  if (!Array.isArray(endpoints) || endpoints.some((e) => typeof e !== "object" || e === null)) {
    throw new QStashHttpError(400, "body must be { endpoints: [ … ] }");
  }
  return endpoints as Record<string, unknown>[];
};

const toEndpoint = (raw: Record<string, unknown>): Endpoint => {
  if (!isHttpUrl(raw.url)) throw new QStashHttpError(400, `invalid endpoint url: ${raw.url}`);
  if (raw.name !== undefined && typeof raw.name !== "string") {
    throw new QStashHttpError(400, "endpoint name must be a string");
  }
  return raw.name === undefined ? { url: raw.url } : { name: raw.name, url: raw.url };
};

const toRef = (raw: Record<string, unknown>): EndpointRef => {
  const ref: EndpointRef = {};
  if (typeof raw.name === "string") ref.name = raw.name;
  if (typeof raw.url === "string") ref.url = raw.url;
  if (ref.name === undefined && ref.url === undefined) {
    throw new QStashHttpError(400, "each endpoint to remove needs a name or a url");
  }
  return ref;
};

/**
 * URL groups under QStash's v2 paths, which still call them topics:
 * upsert and remove endpoints, list, get, delete — what the SDK's `urlGroups`
 * (alias `topics`) calls.
 *
 * @example
 * urlGroupRoutes(core)(app);
 */
export const urlGroupRoutes = (core: QStashCore) => (app: Hono) => {
  app.post("/v2/topics/:name/endpoints", async (c) => {
    const name = groupName(c.req.param("name"));
    const endpoints = endpointList(await readJson(c)).map(toEndpoint);
    core.groups.upsert(name, endpoints, core.now());
    return c.body(null, 200);
  });

  app.delete("/v2/topics/:name/endpoints", async (c) => {
    const name = c.req.param("name");
    const refs = endpointList(await readJson(c)).map(toRef);
    if (!core.groups.removeEndpoints(name, refs, core.now())) {
      throw new QStashHttpError(404, `topic ${name} not found`);
    }
    return c.body(null, 200);
  });

  app.get("/v2/topics", (c) => c.json(core.groups.list()));

  app.get("/v2/topics/:name", (c) => {
    const group = core.groups.get(c.req.param("name"));
    if (!group) throw new QStashHttpError(404, `topic ${c.req.param("name")} not found`);
    return c.json(group);
  });

  app.delete("/v2/topics/:name", (c) => {
    if (!core.groups.delete(c.req.param("name"))) {
      throw new QStashHttpError(404, `topic ${c.req.param("name")} not found`);
    }
    return c.body(null, 200);
  });
};

import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { EventLog } from "../testing/eventLog.ts";
import { httpEventSource } from "./eventSource.ts";

/** A stand-in for the write API's `/v1/events`, with a way to make it fail. */
function primary(log: EventLog, failures: number[] = []) {
  const app = new Hono();
  const seen: string[] = [];
  app.get("/v1/events", (c) => {
    seen.push(c.req.url);
    const status = failures.shift();
    if (status)
      return c.json({ error: { code: "unavailable", message: "try later" } }, status as 503);
    if (c.req.header("authorization") !== "Bearer reader-secret") {
      return c.json({ error: { code: "unauthorized", message: "bad reader token" } }, 401);
    }
    const after = Number(c.req.query("after"));
    const limit = Number(c.req.query("limit"));
    return c.json({ events: log.after(after, limit), head: log.head });
  });
  const fetch = async (input: string, init: RequestInit) => app.request(input, init);
  return { fetch, seen };
}

function catalog() {
  const log = new EventLog();
  const home = log.category("home", "Home");
  log.product({ slug: "lamp", name: "Lamp", categoryId: home });
  log.product({ slug: "rug", name: "Rug", categoryId: home });
  return log;
}

describe("HTTP event source", () => {
  it("pulls a page with the reader token and reports the head", async () => {
    const log = catalog();
    const { fetch, seen } = primary(log);
    const source = httpEventSource({
      url: "http://primary:8080/",
      readerToken: "reader-secret",
      fetch,
    });
    expect(await source.pull(1, 1)).toEqual({ events: [log.events[1]], head: 3 });
    expect(seen).toEqual(["http://primary:8080/v1/events?after=1&limit=1"]);
  });

  it("fails at once, with a hint, when the token is refused", async () => {
    const { fetch, seen } = primary(catalog());
    const source = httpEventSource({ url: "http://primary:8080", readerToken: "wrong", fetch });
    await expect(source.pull(0, 10)).rejects.toThrow(
      /401: bad reader token \(check the reader token/,
    );
    expect(seen).toHaveLength(1);
  });

  it("retries 503s and then succeeds", async () => {
    const { fetch, seen } = primary(catalog(), [503, 503]);
    const source = httpEventSource({
      url: "http://p",
      readerToken: "reader-secret",
      fetch,
      backoffMs: 1,
    });
    expect((await source.pull(0, 10)).events).toHaveLength(3);
    expect(seen).toHaveLength(3);
  });

  it("rejects an answer that is not an event page or is out of order", async () => {
    const log = catalog();
    const bodies = [{ nope: true }, { events: [log.events[1], log.events[0]], head: 3 }];
    const fetch = async () => Response.json(bodies.shift());
    const source = httpEventSource({ url: "http://p", readerToken: "t", fetch });
    await expect(source.pull(0, 10)).rejects.toThrow("not an event page");
    await expect(source.pull(0, 10)).rejects.toThrow("events out of order at seq 1");
  });

  it("refuses a page holding an event version newer than this code, saying so", async () => {
    const log = catalog();
    const future = { ...log.events[0], schemaVersion: 7 };
    const fetch = async () => Response.json({ events: [future], head: 3 });
    const source = httpEventSource({ url: "http://p", readerToken: "t", fetch });
    await expect(source.pull(0, 10)).rejects.toThrow(
      "http://p/v1/events?after=0&limit=10 serves an event this reader cannot read (upgrade the reader): category.created v7 is newer than this code knows (v1)",
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signPush } from "../../edge-reader/testing/signPush.ts";
import type { StoredEvent } from "../../shared/events/types.ts";
import { categoryCreate, productCreate } from "../../write-api/testing/catalogFixtures.ts";
import { databaseDigest } from "../../write-api/testing/databaseDigest.ts";
import {
  type Harness,
  readerHarness,
  readerUrl,
  signingKeys,
} from "../integration/readerHarness.ts";
import { badReads } from "./badReads.ts";
import { deepArray, expectRefusal, streamOf } from "./hostileHttp.ts";

let h: Harness;
/** events the primary has and the reader has not: a push that got through would move it */
let pending: StoredEvent[];
const ingestUrl = `${readerUrl}/v1/ingest`;
const limit = 1 << 20; // the harness's ingestBodyLimitBytes

beforeAll(async () => {
  h = await readerHarness();
  const seeded = await h.api.command({
    commands: [
      categoryCreate("shoes"),
      ...["a", "b", "c"].map((s) => productCreate(`shoe-${s}`, "shoes", { status: "active" })),
    ],
  });
  expect(seeded.status).toBe(200);
  const initial = await h.log();
  expect((await h.push(initial)).status).toBe(200);
  expect((await h.api.command(productCreate("shoe-d", "shoes", { status: "active" }))).status).toBe(
    200,
  );
  pending = (await h.log()).slice(initial.length);
  expect(pending.length).toBeGreaterThan(0);
  expect(await h.store.watermark()).toBe(initial.length);
});
afterAll(() => h.close());

/** Everything a refused request must leave alone: the store, the reader's state, the primary. */
const snapshot = async () => {
  const status = (await (await h.app.request(`${readerUrl}/v1/status`)).json()) as {
    watermark: number;
    digest: string;
    knownHead: number;
    lastHeardAt: string | null;
    lastApplyAt: string | null;
  };
  return {
    status: {
      watermark: status.watermark,
      digest: status.digest,
      knownHead: status.knownHead,
      lastHeardAt: status.lastHeardAt,
      lastApplyAt: status.lastApplyAt,
    },
    watermark: await h.store.watermark(),
    digest: (await h.store.digest()).digest,
    primary: await databaseDigest(h.api),
  };
};

async function refusedUnchanged(
  send: () => Response | Promise<Response>,
  status: number,
  code?: string,
) {
  const before = await snapshot();
  const first = await expectRefusal(await send(), status, code);
  // What if it arrives again (QStash retries)? The same refusal, and still no move.
  const again = await expectRefusal(await send(), status, code);
  expect(again.code).toBe(first.code);
  expect(await snapshot()).toEqual(before);
}

const ingest = async (body: BodyInit, headers: Record<string, string | undefined> = {}) => {
  const clean = Object.fromEntries(
    Object.entries({ "content-type": "application/json", ...headers }).filter(
      (e): e is [string, string] => e[1] !== undefined,
    ),
  );
  return h.app.request(ingestUrl, {
    method: "POST",
    headers: clean,
    body,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
};
const sign = (body: string, o: Partial<Parameters<typeof signPush>[0]> = {}) =>
  signPush({ key: signingKeys.current, url: ingestUrl, body, ...o });
/** A body signed correctly, sent as is. */
const signed = async (body: string, headers: Record<string, string> = {}) =>
  ingest(body, { "upstash-signature": await sign(body), ...headers });
const pendingBody = () => JSON.stringify({ events: pending });

type Case = {
  name: string;
  send: () => Response | Promise<Response>;
  status: number;
  code: string;
};

describe("POST /v1/ingest refuses what QStash did not sign", () => {
  const cases: Case[] = [
    { name: "no signature", send: () => ingest(pendingBody()), status: 401, code: "unauthorized" },
    {
      name: "an empty signature",
      send: () => ingest(pendingBody(), { "upstash-signature": "" }),
      status: 401,
      code: "unauthorized",
    },
    {
      name: "a garbage signature",
      send: () => ingest(pendingBody(), { "upstash-signature": "garbage" }),
      status: 401,
      code: "unauthorized",
    },
    {
      name: "a three-part garbage JWT",
      send: () => ingest(pendingBody(), { "upstash-signature": "a.b.c" }),
      status: 401,
      code: "unauthorized",
    },
    {
      name: "a valid signature over a different body",
      send: async () =>
        ingest(pendingBody(), { "upstash-signature": await sign(JSON.stringify({ events: [] })) }),
      status: 401,
      code: "unauthorized",
    },
    {
      name: "a valid signature, body with one byte changed",
      send: async () =>
        ingest(pendingBody().replace('"seq":', '"seq": '), {
          "upstash-signature": await sign(pendingBody()),
        }),
      status: 401,
      code: "unauthorized",
    },
    {
      name: "signed with an unknown key",
      send: async () =>
        ingest(pendingBody(), {
          "upstash-signature": await sign(pendingBody(), { key: "sig_attacker_0123456789abcd" }),
        }),
      status: 401,
      code: "unauthorized",
    },
    {
      name: "signed for another reader's URL",
      send: async () =>
        ingest(pendingBody(), {
          "upstash-signature": await sign(pendingBody(), { url: "http://other.test/v1/ingest" }),
        }),
      status: 401,
      code: "unauthorized",
    },
    {
      name: "an expired signature",
      send: async () =>
        ingest(pendingBody(), {
          "upstash-signature": await sign(pendingBody(), { expiresInSeconds: -120 }),
        }),
      status: 401,
      code: "unauthorized",
    },
    {
      name: "another issuer",
      send: async () =>
        ingest(pendingBody(), {
          "upstash-signature": await sign(pendingBody(), { issuer: "NotUpstash" }),
        }),
      status: 401,
      code: "unauthorized",
    },
    {
      name: 'an unsigned alg "none" token',
      send: async () => {
        const claims = Buffer.from(
          JSON.stringify({ iss: "Upstash", sub: ingestUrl, exp: 9_999_999_999, body: "x" }),
        ).toString("base64url");
        const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url");
        return ingest(pendingBody(), { "upstash-signature": `${header}.${claims}.` });
      },
      status: 401,
      code: "unauthorized",
    },
    {
      name: "two valid signature headers",
      send: async () => {
        const sig = await sign(pendingBody());
        const headers = new Headers({ "content-type": "application/json" });
        headers.append("upstash-signature", sig);
        headers.append("upstash-signature", sig);
        return h.app.request(ingestUrl, { method: "POST", headers, body: pendingBody() });
      },
      status: 401,
      code: "unauthorized",
    },
    {
      name: "a wrong content type and no signature",
      send: () => ingest(pendingBody(), { "content-type": "text/plain" }),
      status: 401,
      code: "unauthorized",
    },
    {
      name: "a form content type and a garbage signature",
      send: () =>
        ingest(`events=${encodeURIComponent(pendingBody())}`, {
          "content-type": "application/x-www-form-urlencoded",
          "upstash-signature": "garbage",
        }),
      status: 401,
      code: "unauthorized",
    },
  ];
  it.each(cases)("$name → $status $code, the reader does not move", ({ send, status, code }) =>
    refusedUnchanged(send, status, code),
  );
});

describe("POST /v1/ingest refuses signed bodies that are not an event batch", () => {
  const event = (over: Record<string, unknown>) => ({ ...pending[0], ...over });
  const batch = (...events: unknown[]) => JSON.stringify({ events });
  const cases: [string, () => string, number, string][] = [
    ["not JSON", () => "{not json", 400, "malformed_json"],
    ["an empty body", () => "", 400, "malformed_json"],
    ["JSON then garbage", () => `${pendingBody()}x`, 400, "malformed_json"],
    ["null", () => "null", 422, "validation_failed"],
    ["an array of events", () => JSON.stringify(pending), 422, "validation_failed"],
    ["an empty object", () => "{}", 422, "validation_failed"],
    ["no events", () => '{"events":[]}', 422, "validation_failed"],
    ["events as an object", () => '{"events":{"0":{}}}', 422, "validation_failed"],
    ["an event of null", () => batch(null), 422, "validation_failed"],
    [
      "seq as a string",
      () => batch(event({ seq: String(pending[0]?.seq) })),
      422,
      "validation_failed",
    ],
    ["seq 0", () => batch(event({ seq: 0 })), 422, "validation_failed"],
    ["seq -1", () => batch(event({ seq: -1 })), 422, "validation_failed"],
    ["seq 1.5", () => batch(event({ seq: 1.5 })), 422, "validation_failed"],
    [
      "seq 9007199254740993",
      () => pendingBody().replace(/"seq":\d+/, '"seq":9007199254740993'),
      422,
      "validation_failed",
    ],
    [
      "seq 1e309",
      () => pendingBody().replace(/"seq":\d+/, '"seq":1e309'),
      422,
      "validation_failed",
    ],
    [
      "an unknown event type",
      () => batch(event({ type: "product.hacked" })),
      422,
      "validation_failed",
    ],
    ["type __proto__", () => batch(event({ type: "__proto__" })), 422, "validation_failed"],
    ["an empty aggregateId", () => batch(event({ aggregateId: "" })), 422, "validation_failed"],
    [
      "an overlong aggregateId",
      () => batch(event({ aggregateId: "a".repeat(65) })),
      422,
      "validation_failed",
    ],
    ["data as an array", () => batch(event({ data: [] })), 422, "validation_failed"],
    ["data null", () => batch(event({ data: null })), 422, "validation_failed"],
    ["no at", () => batch({ ...pending[0], at: undefined }), 422, "validation_failed"],
    [
      "one good event then a bad one",
      () => batch(pending[0], { seq: "x" }),
      422,
      "validation_failed",
    ],
    ["arrays 20k deep", () => deepArray(20_000), 422, "validation_failed"],
    [
      "arrays 20k deep as events",
      () => `{"events":${deepArray(20_000)}}`,
      422,
      "validation_failed",
    ],
  ];
  it.each(cases)("%s → %i %s, the reader does not move", async (_name, body, status, code) =>
    refusedUnchanged(async () => signed(body()), status, code),
  );

  it("answers a signed bad batch with at most five issues, none echoing the input", async () => {
    const body = batch(...Array.from({ length: 50 }, () => ({ seq: "x", secret: "s3cr3t" })));
    const error = await expectRefusal(await signed(body), 422, "validation_failed");
    expect((error.details as unknown[]).length).toBeLessThanOrEqual(5);
    expect(JSON.stringify(error)).not.toContain("s3cr3t");
  });
});

describe("POST /v1/ingest size and content type", () => {
  const big = () => JSON.stringify({ events: pending, pad: "x".repeat(limit) });
  const cases: Case[] = [
    {
      name: "a signed body over the limit with its Content-Length",
      send: async () =>
        ingest(big(), {
          "upstash-signature": await sign(big()),
          "content-length": String(big().length),
        }),
      status: 413,
      code: "payload_too_large",
    },
    {
      name: "a signed body over the limit, streamed without Content-Length",
      send: async () => ingest(streamOf(big()), { "upstash-signature": await sign(big()) }),
      status: 413,
      code: "payload_too_large",
    },
    {
      name: "over the limit behind a lying small Content-Length",
      send: async () =>
        ingest(big(), { "upstash-signature": await sign(big()), "content-length": "2" }),
      status: 413,
      code: "payload_too_large",
    },
    {
      name: "64 MiB streamed behind a garbage signature",
      send: () =>
        ingest(streamOf("x".repeat(64 << 20), 1 << 20), { "upstash-signature": "garbage" }),
      status: 413,
      code: "payload_too_large",
    },
    {
      name: "over the limit with no signature (refused before reading)",
      send: () => ingest(streamOf(big())),
      status: 401,
      code: "unauthorized",
    },
  ];
  it.each(cases)("$name → $status $code, the reader does not move", ({ send, status, code }) =>
    refusedUnchanged(send, status, code),
  );

  it("other methods on /v1/ingest are not found and change nothing", async () => {
    for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
      await refusedUnchanged(
        () =>
          h.app.request(ingestUrl, {
            method,
            ...(method === "GET" ? {} : { body: pendingBody() }),
          }),
        404,
        "not_found",
      );
    }
  });
});

describe("reader reads with bad params", () => {
  const get = async (path: string, headers: Record<string, string> = {}) =>
    h.app.request(`${readerUrl}${path}`, { headers });
  const staleness: [string, number, string][] = [
    "abc",
    "-1",
    "1e3",
    "1.5",
    "1234567890",
    "%00",
    "Infinity",
  ].map((v) => [`/v1/categories?maxStalenessMs=${v}`, 422, "validation_failed"]);

  it.each([...badReads("/v1"), ...staleness])(
    "%s → %i %s, the reader does not move",
    (path, status, code) => refusedUnchanged(() => get(path), status, code),
  );

  it("ignores odd tokens, cookies and minVersion rather than failing or moving", async () => {
    const before = await snapshot();
    const odd: [Record<string, string>, string, boolean][] = [
      [{ "x-consistency-token": "garbage" }, "", true],
      [{ "x-consistency-token": "a".repeat(10_000) }, "", true],
      [{ "x-consistency-token": "eyJ2Ijo5OTk5OTk5OX0.sig" }, "", true],
      [{ cookie: "cqrs_rv=%00%ff; cqrs_rv=x" }, "", true],
      [{}, "?minVersion=abc", false],
      [{}, "?minVersion=-5", false],
      [{}, "?minVersion=1e9", false],
    ];
    for (const [headers, query, tokenOffered] of odd) {
      const res = await get(`/v1/categories${query}`, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-served-by")).toBe("replica");
      const status = res.headers.get("x-consistency-token-status");
      if (tokenOffered) expect(["malformed", "bad_signature"]).toContain(status);
      else expect(status).toBeNull();
    }
    expect(await snapshot()).toEqual(before);
  });

  it("still serves a good read next to the bad ones", async () => {
    const res = await get("/v1/categories/shoes/products?sort=name&limit=2");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { page: { items: { slug: string }[] } };
    expect(body.page.items.map((p) => p.slug)).toEqual(["shoe-a", "shoe-b"]);
  });
});

describe("formerly known gaps (they would move the reader if they came back, so they run last)", () => {
  // A signed batch sent as text/plain used to be applied.
  it("a signed batch as text/plain → 415", () =>
    refusedUnchanged(
      () => signed(pendingBody(), { "content-type": "text/plain" }),
      415,
      "unsupported_media_type",
    ));

  // Used to be applied: only the envelope was checked, and the watermark moved
  // past a seq the primary gave to another event.
  it("a signed event whose data does not fit its type → 422", async () => {
    const next = (await h.store.watermark()) + 1;
    const forged = {
      ...pending[0],
      seq: next,
      type: "product.created",
      aggregateId: "prd_forged",
      data: {},
    };
    return refusedUnchanged(
      () => signed(JSON.stringify({ events: [forged] })),
      422,
      "validation_failed",
    );
  });
});

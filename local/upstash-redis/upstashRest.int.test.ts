import { createHash } from "node:crypto";
import { Redis, type RedisConfigNodejs } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "../redis/redisServer.ts";
import { createUpstashRestServer, type UpstashRestServer } from "./createUpstashRestServer.ts";

// Everything below talks to the server only through the official client, as the edge reader will.
type ClientOptions = Partial<RedisConfigNodejs>;

const TOKEN = "test-token-with+plus/and=";
let redisServer: RedisServer;
let rest: UpstashRestServer;
let smallBodyRest: UpstashRestServer;
let keyCounter = 0;

const key = (name: string) => `t:${name}:${++keyCounter}`;
const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
const client = (options: ClientOptions = {}, url = rest.url) =>
  new Redis({ url, token: TOKEN, enableTelemetry: false, retry: false, ...options });

beforeAll(async () => {
  redisServer = await startRedisServer();
  rest = await createUpstashRestServer({ redisUrl: redisServer.url, token: TOKEN });
  smallBodyRest = await createUpstashRestServer({
    redisUrl: redisServer.url,
    token: TOKEN,
    maxBodyBytes: 1024,
  });
});

afterAll(async () => {
  await smallBodyRest?.close();
  await rest?.close();
  await redisServer?.stop();
});

describe.each([
  ["auto-pipelined (the client's default, via /pipeline)", {}],
  ["one request per command (via POST /)", { enableAutoPipelining: false }],
])("%s", (_, options: ClientOptions) => {
  it("round-trips JSON values, deserialized by default and raw when turned off", async () => {
    const redis = client(options);
    const raw = client({ ...options, automaticDeserialization: false });
    const product = { name: "lamp", tags: ["a", "b"], price: { amount: 1299, currency: "EUR" } };
    const [objectKey, numberKey] = [key("json"), key("number")];

    expect(await redis.set(objectKey, product)).toBe("OK");
    await redis.set(numberKey, 42);

    expect(await redis.get(objectKey)).toEqual(product);
    expect(await redis.get(numberKey)).toBe(42);
    expect(await raw.get(objectKey)).toBe(JSON.stringify(product));
    expect(await raw.get(numberKey)).toBe("42");
    expect(await redis.get(key("missing"))).toBeNull();
  });

  it("serves hashes", async () => {
    const redis = client(options);
    const hash = key("hash");

    expect(await redis.hset(hash, { name: "lamp", stock: 3, meta: { color: "red" } })).toBe(3);
    expect(await redis.hincrby(hash, "stock", 2)).toBe(5);

    expect(await redis.hgetall(hash)).toEqual({ name: "lamp", stock: 5, meta: { color: "red" } });
    expect(await redis.hget(hash, "name")).toBe("lamp");
    expect(await redis.hget(hash, "absent")).toBeNull();
  });

  it("serves sorted sets with their scores", async () => {
    const redis = client(options);
    const zset = key("zset");

    await redis.zadd(zset, { score: 1.5, member: "a" }, { score: -2, member: "b" });
    await redis.zadd(zset, { score: 10, member: "c" });

    expect(await redis.zrange(zset, 0, -1, { withScores: true })).toEqual([
      "b",
      -2,
      "a",
      1.5,
      "c",
      10,
    ]);
    expect(await redis.zrange(zset, 0, 1, { rev: true })).toEqual(["c", "a"]);
    expect(await redis.zscore(zset, "a")).toBe(1.5);
    expect(await redis.zincrby(zset, 0.25, "a")).toBe(1.75);
  });

  it("round-trips non-ASCII and binary-ish strings", async () => {
    const raw = client({ ...options, automaticDeserialization: false });
    const value = 'héllo wörld – 漢字 🚀 \u0000\u0001\u007f \r\n$5\r\n*2\r\n \\ "quoted"';
    const [stringKey, listKey] = [key("unicode"), key("list")];

    await raw.set(stringKey, value);
    await raw.rpush(listKey, value, "plain");

    expect(await raw.get(stringKey)).toBe(value);
    expect(await raw.mget(stringKey, key("missing"))).toEqual([value, null]);
    expect(await raw.lrange(listKey, 0, -1)).toEqual([value, "plain"]);
    expect(await raw.strlen(stringKey)).toBe(Buffer.byteLength(value, "utf8"));
  });

  it("reports Redis errors and refused commands as client errors", async () => {
    const redis = client(options);
    const text = key("text");
    await redis.set(text, "not a hash");

    await expect(redis.hget(text, "field")).rejects.toThrow(/WRONGTYPE/);
    await expect(redis.exec(["NOSUCHCOMMAND", "x"])).rejects.toThrow(/ERR unknown command/);
    await expect(redis.exec(["BLPOP", key("queue"), "0"])).rejects.toThrow(
      /blocking command 'blpop' is not supported/,
    );
  });

  it("rejects a wrong token and changes nothing", async () => {
    const intruder = client({ ...options, token: "wrong-token" });
    const target = key("guarded");

    await expect(intruder.set(target, "owned")).rejects.toThrow(/Unauthorized/);
    expect(await client(options).exists(target)).toBe(0);
  });
});

describe("response encoding", () => {
  it("base64-encodes strings when the client asks (its default) and not otherwise", async () => {
    const base64 = client({ automaticDeserialization: false });
    const plain = client({ automaticDeserialization: false, responseEncoding: false });
    const target = key("abcd");
    await base64.set(target, "abcd");

    // "abcd" is itself valid base64: a server that ignored Upstash-Encoding would
    // make the default client decode it into garbage; one that always encoded
    // would hand the plain client "YWJjZA==".
    expect(await base64.get(target)).toBe("abcd");
    expect(await plain.get(target)).toBe("abcd");
    expect(await plain.set(target, "x")).toBe("OK");
  });
});

describe("big integers", () => {
  it("keeps integers stored as strings exact, while integer replies are JSON numbers", async () => {
    const redis = client();
    const raw = client({ automaticDeserialization: false });
    const [big, hash, counter] = [key("big"), key("ids"), key("counter")];

    await redis.set(big, "9007199254740993");
    await redis.hset(hash, { id: "9007199254740993" });
    expect(await redis.get(big)).toBe("9007199254740993");
    expect(await raw.get(big)).toBe("9007199254740993");
    expect(await redis.hget(hash, "id")).toBe("9007199254740993");

    // The server writes Redis' digits (…993); the client's JSON.parse rounds them.
    await redis.set(counter, "9007199254740992");
    expect(await redis.incr(counter)).toBe(9007199254740992);
    expect(await raw.get(counter)).toBe("9007199254740993");
  });
});

describe("pipeline()", () => {
  it("runs commands in order and reports each failure in its own slot", async () => {
    const redis = client();
    const target = key("pipelined");

    const pipeline = redis.pipeline().set(target, "1").incr(target).hget(target, "f").get(target);
    const results = await pipeline.exec({ keepErrors: true });

    expect(results.map((r) => r.result)).toEqual(["OK", 2, undefined, 2]);
    expect(results[2]?.error).toMatch(/WRONGTYPE/);
    await expect(redis.pipeline().incr(target).hget(target, "f").exec()).rejects.toThrow(
      /Command 2 \[ hget \] failed: WRONGTYPE/,
    );
    expect(await redis.get(target)).toBe(3);
  });
});

describe("multi()", () => {
  it("lets a runtime error fail alone and still applies the rest, as Redis does", async () => {
    const redis = client();
    const [counter, text] = [key("tx-counter"), key("tx-text")];
    await redis.set(text, "not a number");

    const results = await redis
      .multi()
      .incr(counter)
      .incr(text)
      .incr(counter)
      .exec({ keepErrors: true });

    expect(results.map((r) => r.result)).toEqual([1, undefined, 2]);
    expect(results[1]?.error).toMatch(/not an integer/);
    expect(await redis.get(counter)).toBe(2);
  });

  it("discards the whole transaction when Redis rejects a command while queuing", async () => {
    const redis = client();
    const [counter, hash] = [key("tx-counter"), key("tx-hash")];
    await redis.set(counter, 10);

    // HSET with no field/value pair is an arity error, caught before EXEC.
    const tx = redis.multi().incr(counter).hset(hash, {}).incr(counter);

    await expect(tx.exec()).rejects.toThrow(/EXECABORT/);
    expect(await redis.get(counter)).toBe(10);
    expect(await redis.exists(hash)).toBe(0);
  });

  it("never interleaves concurrent transactions", async () => {
    const redis = client();
    const counter = key("concurrent");
    const transactions = 150;

    const results = await Promise.all(
      Array.from({ length: transactions }, () =>
        redis.multi().incr(counter).incr(counter).exec<[number, number]>(),
      ),
    );

    expect(await redis.get(counter)).toBe(2 * transactions);
    for (const [first, second] of results) expect(second).toBe(first + 1);
    expect(new Set(results.map(([first]) => first)).size).toBe(transactions);
  });
});

describe("scripts", () => {
  it("passes EVAL, SCRIPT LOAD and EVALSHA through", async () => {
    const redis = client();
    const target = key("eval");
    const script = "return {KEYS[1], ARGV[1], tonumber(ARGV[2]) * 2}";

    expect(await redis.eval(script, [target], ["v", "21"])).toEqual([target, "v", 42]);
    const sha = await redis.scriptLoad(script);
    expect(sha).toBe(sha1(script));
    expect(await redis.evalsha(sha, [target], ["w", "1"])).toEqual([target, "w", 2]);
    await expect(redis.evalsha("f".repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/);
  });

  it.each([
    ["auto-pipelined", {}],
    ["one request per command", { enableAutoPipelining: false }],
  ])("lets Script.exec fall back from EVALSHA to EVAL on NOSCRIPT (%s)", async (_, options) => {
    const redis = client(options);
    const target = key("script");
    const body = `return redis.call('INCRBY', KEYS[1], ARGV[1]) -- ${target}`;
    const script = redis.createScript<number>(body);
    expect(await redis.scriptExists(sha1(body))).toEqual([0]);

    expect(await script.exec([target], ["5"])).toBe(5);
    // Only the EVAL fallback can have cached the script.
    expect(await redis.scriptExists(sha1(body))).toEqual([1]);
    expect(await script.exec([target], ["5"])).toBe(10);
  });
});

describe("protocol edges", () => {
  it("echoes an advancing upstash-sync-token for read-your-writes", async () => {
    const redis = client();
    expect(redis.readYourWritesSyncToken).toBe("");

    await redis.set(key("ryw"), "1");
    const first = BigInt(redis.readYourWritesSyncToken ?? "");
    await redis.get(key("ryw"));
    expect(BigInt(redis.readYourWritesSyncToken ?? "")).toBeGreaterThan(first);

    // A session resumed with a token from elsewhere never sees the token go backwards.
    const resumed = client();
    resumed.readYourWritesSyncToken = "99999999999";
    await resumed.get(key("ryw"));
    expect(BigInt(resumed.readYourWritesSyncToken ?? "")).toBeGreaterThan(99999999999n);
  });

  it("refuses bodies over the size limit and applies nothing", async () => {
    const redis = client({ enableAutoPipelining: false }, smallBodyRest.url);
    const target = key("large");

    await expect(redis.set(target, "x".repeat(2048))).rejects.toThrow(/max request size exceeded/);
    expect(await redis.exists(target)).toBe(0);
    expect(await redis.set(target, "small")).toBe("OK");
  });
});

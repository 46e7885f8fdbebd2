import { access, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { probeRedis } from "./probeRedis.ts";
import { startRedisServer } from "./redisServer.ts";

describe("startRedisServer", () => {
  it("starts a server that answers PING and stops it, removing its temp data dir", async () => {
    const redis = await startRedisServer();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect((await probeRedis(redis.port, "127.0.0.1", 1_000)).answered).toBe(true);

    await redis.stop();
    await redis.stop(); // idempotent

    expect((await probeRedis(redis.port, "127.0.0.1", 1_000)).answered).toBe(false);
    await expect(access(redis.dataDir)).rejects.toThrow(/ENOENT/);
  });

  it("keeps a given data dir and writes the append-only file there", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "redis-kept-"));
    try {
      const redis = await startRedisServer({ dataDir, appendOnly: true });
      expect(await readdir(dataDir)).toContain("appendonlydir");
      await redis.stop();
      await expect(access(dataDir)).resolves.toBeUndefined();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("explains how to install redis-server when the binary is missing", async () => {
    await expect(startRedisServer({ bin: "/nonexistent/redis-server" })).rejects.toThrow(
      /apt-get install -y redis-server.*REDIS_SERVER_BIN/,
    );
  });

  it("reports a port that is already taken instead of hanging", async () => {
    const redis = await startRedisServer();
    try {
      await expect(startRedisServer({ port: redis.port })).rejects.toThrow(
        /Address already in use/,
      );
    } finally {
      await redis.stop();
    }
  });
});

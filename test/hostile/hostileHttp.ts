import { expect } from "vitest";
import { errorStatus } from "../../shared/errors/appError.ts";
import type { TestWriteApi } from "../../write-api/testing/testWriteApi.ts";
import { testSettings } from "../../write-api/testing/testWriteApi.ts";

/** The statuses DESIGN.md's HTTP contract allows for a client's mistake. */
export const documented4xx = [400, 401, 404, 409, 413, 415, 422, 429] as const;

export interface ErrorShape {
  code: string;
  message: string;
  details?: unknown;
}

/**
 * Asserts a refusal: the status, the `{ error: { code, message } }` body, a
 * code that maps to that very status, and no stack trace or SQL leaking out.
 */
export async function expectRefusal(
  res: Response,
  status: number,
  code?: string,
): Promise<ErrorShape> {
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(status);
  expect(res.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  const body = JSON.parse(text) as { error: ErrorShape };
  expect(body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(errorStatus[body.error.code as keyof typeof errorStatus]).toBe(status);
  if (code !== undefined) expect(body.error.code).toBe(code);
  expect(text).not.toMatch(/\bat .+\.ts:\d+|SQLITE_|sqlite_master|LibsqlError/);
  return body.error;
}

export const adminAuth = { authorization: `Bearer ${testSettings.adminToken}` };
export const readerAuth = { authorization: `Bearer ${testSettings.readerToken}` };

/** POSTs raw bytes or text to `/v1/commands`, with exactly the headers given. */
export const postCommands = (
  api: TestWriteApi,
  body: BodyInit | null,
  headers: HeadersInit = { ...adminAuth, "content-type": "application/json" },
): Promise<Response> =>
  Promise.resolve(
    api.app.request("http://localhost/v1/commands", {
      method: "POST",
      headers,
      body,
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit),
  );

/** A body that arrives in chunks with no Content-Length, as a chunked upload does. */
export const streamOf = (text: string, chunkSize = 64 * 1024): ReadableStream<Uint8Array> => {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
};

export const deepArray = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
export const deepObject = (depth: number, leaf = "1") =>
  `${'{"a":'.repeat(depth)}${leaf}${"}".repeat(depth)}`;

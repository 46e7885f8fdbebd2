import { type Context, Hono } from "hono";
import { PayloadTooLargeError } from "../../shared/errors/index.ts";
import { readBodyBytes } from "../../shared/http/jsonBody.ts";
import { bearerAuth } from "./bearerAuth.ts";
import { commandRefusal } from "./protocol/commandPolicy.ts";
import {
  type EncodedResponse,
  errorBody,
  pipelineResponse,
  type ResponseEncoding,
  singleResponse,
  transactionResponse,
} from "./protocol/encodeResponse.ts";
import { commandFromJson, commandsFromJson, parseJsonBody } from "./protocol/parseCommands.ts";
import { commandFromPath } from "./protocol/pathCommand.ts";
import type { CommandArgs, RespReply } from "./protocol/reply.ts";
import { RestProtocolError } from "./protocol/restError.ts";
import type { RedisGateway } from "./redisGateway/redisGateway.ts";
import type { SyncTokenClock } from "./syncTokenClock.ts";

export interface UpstashRestAppDeps {
  gateway: Pick<RedisGateway, "command" | "pipeline" | "transaction">;
  token: string;
  maxBodyBytes: number;
  syncTokens: SyncTokenClock;
}

const JSON_TYPE = { "content-type": "application/json" };
const SYNC_TOKEN = "upstash-sync-token";

const send = (c: Context, { status, body }: EncodedResponse) => c.body(body, status, JSON_TYPE);

const encodingOf = (c: Context): ResponseEncoding =>
  c.req.header("upstash-encoding")?.toLowerCase() === "base64" ? "base64" : "utf8";

/**
 * The request body, refused with Upstash's 413 past `limit` bytes. Read through
 * `readBodyBytes`, not hono's bodyLimit: that middleware looks at the raw
 * request's body stream first, which on @hono/node-server builds a full web
 * Request for every call, GETs included.
 */
const boundedBody = async (c: Context, limit: number) => {
  try {
    return await readBodyBytes(c.req.raw, limit);
  } catch (error) {
    if (!(error instanceof PayloadTooLargeError)) throw error;
    throw new RestProtocolError(413, `ERR max request size exceeded. Limit: ${limit} bytes`);
  }
};

/**
 * The Upstash REST protocol as a Hono app: `POST /` with a JSON command, the
 * URL form `/cmd/arg/…`, `/pipeline` and `/multi-exec`, bearer auth, base64
 * responses and sync tokens. All Redis I/O goes through `deps.gateway`.
 *
 * @example
 * ```ts
 * const app = createUpstashRestApp({ gateway, token: "t", maxBodyBytes: 10 * 2 ** 20, syncTokens });
 * await app.request("/get/foo", { headers: { authorization: "Bearer t" } });
 * ```
 */
export const createUpstashRestApp = (deps: UpstashRestAppDeps): Hono => {
  const { gateway } = deps;
  const app = new Hono();

  app.use(async (c, next) => {
    const received = c.req.header(SYNC_TOKEN) || undefined;
    await next();
    c.res.headers.set(SYNC_TOKEN, deps.syncTokens.next(received));
  });
  app.use(bearerAuth(deps.token));
  app.use(async (c, next) => {
    const format = c.req.header("upstash-response-format")?.toLowerCase();
    if (format !== undefined && format !== "json") {
      throw new RestProtocolError(400, "ERR only the json response format is supported locally");
    }
    await next();
  });
  const bodyBytes = (c: Context) => boundedBody(c, deps.maxBodyBytes);

  const runSingle = async (c: Context, command: CommandArgs) => {
    const refusal = commandRefusal(command);
    if (refusal !== undefined) throw new RestProtocolError(400, refusal);
    return send(c, singleResponse(await gateway.command(command), encodingOf(c)));
  };

  app.post("/pipeline", async (c) => {
    const commands = commandsFromJson(parseJsonBody(await bodyBytes(c)));
    const refusals = commands.map(commandRefusal);
    const allowed = commands.filter((_, i) => refusals[i] === undefined);
    const replies = await gateway.pipeline(allowed);
    // Refused commands answer in place; the rest keep their order.
    let next = 0;
    const merged = refusals.map(
      (refusal): RespReply =>
        refusal === undefined
          ? (replies[next++] ?? { type: "error", message: "ERR no reply from Redis" })
          : { type: "error", message: refusal },
    );
    return send(c, pipelineResponse(merged, encodingOf(c)));
  });

  app.post("/multi-exec", async (c) => {
    const commands = commandsFromJson(parseJsonBody(await bodyBytes(c)));
    // Upstash discards a whole transaction that contains an unsupported command.
    const refusal = commands.map(commandRefusal).find((r) => r !== undefined);
    if (refusal !== undefined) throw new RestProtocolError(400, refusal);
    return send(c, transactionResponse(await gateway.transaction(commands), encodingOf(c)));
  });

  app.on(["POST", "PUT"], "/", async (c) =>
    runSingle(c, commandFromJson(parseJsonBody(await bodyBytes(c)))),
  );

  app.on(["GET", "POST", "PUT"], "/*", async (c) => {
    const url = new URL(c.req.url);
    const body = c.req.method === "GET" ? undefined : await bodyBytes(c);
    return runSingle(c, commandFromPath(url.pathname, url.search, body));
  });

  app.all("*", (c) =>
    c.body(errorBody("ERR method not allowed: use GET, POST or PUT"), 405, JSON_TYPE),
  );

  app.onError((error, c) => {
    if (error instanceof RestProtocolError)
      return c.body(errorBody(error.message), error.status, JSON_TYPE);
    return c.body(errorBody(`ERR local Upstash REST server: ${error.message}`), 500, JSON_TYPE);
  });

  return app;
};

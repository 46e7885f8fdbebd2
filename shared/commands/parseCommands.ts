import type { z } from "zod";
import { AppError, ValidationError } from "../errors/index.ts";
import { type Command, type CommandType, commandSchemas, commandTypes, limits } from "./schemas.ts";

export interface FieldIssue {
  path: string;
  message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const isCommandType = (t: unknown): t is CommandType =>
  typeof t === "string" && Object.hasOwn(commandSchemas, t);

const toIssues = (error: z.ZodError, prefix: string): FieldIssue[] =>
  error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join("."),
    message: i.message,
  }));

const reservedKeys = new Set(["__proto__"]);

/** The path of the first reserved object key in a (shallow, command-sized) value. */
function reservedKeyPath(value: unknown, path = "", depth = 0): string | null {
  if (!isRecord(value) || depth > 4) return null;
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (reservedKeys.has(key)) return here;
    const inner = reservedKeyPath(value[key], here, depth + 1);
    if (inner) return inner;
  }
  return null;
}

function parseOne(raw: unknown, prefix: string): Command {
  if (!isRecord(raw)) {
    throw new ValidationError("a command must be a JSON object", [
      { path: prefix, message: "expected an object" },
    ]);
  }
  if (!isCommandType(raw.type)) {
    // Echo only a short string: a deeply nested `type` would overflow JSON.stringify.
    const shown =
      typeof raw.type === "string"
        ? JSON.stringify(raw.type.slice(0, 80))
        : `of type ${typeof raw.type}`;
    throw new AppError("unknown_command", `unknown command type ${shown}`, {
      details: { path: [prefix, "type"].filter(Boolean).join("."), known: commandTypes },
    });
  }
  const reserved = reservedKeyPath(raw);
  if (reserved) {
    // zod's record() silently drops "__proto__": refuse it instead of losing the field
    throw new ValidationError(`invalid ${raw.type} command`, [
      { path: [prefix, reserved].filter(Boolean).join("."), message: "reserved key" },
    ]);
  }
  const result = commandSchemas[raw.type].safeParse(raw);
  if (!result.success) {
    throw new ValidationError(`invalid ${raw.type} command`, toIssues(result.error, prefix));
  }
  return result.data as Command;
}

/**
 * Turns a request body into the list of commands it carries: one command
 * `{ type, … }` or an atomic batch `{ commands: [ … ] }`. Every command is
 * validated before any is run, so a bad one never leaves a partial batch.
 *
 * @example
 * parseCommands({ type: "product.publish", id: "prd_1" }); // → [ { type: "product.publish", id: "prd_1" } ]
 */
export function parseCommands(body: unknown): Command[] {
  if (isRecord(body) && "commands" in body) {
    const list = body.commands;
    if (!Array.isArray(list) || list.length === 0 || list.length > limits.maxBatch) {
      throw new ValidationError(`commands must be an array of 1 to ${limits.maxBatch} commands`, [
        { path: "commands", message: "expected a non-empty array" },
      ]);
    }
    const extra = Object.keys(body).filter((k) => k !== "commands");
    if (extra.length > 0) {
      throw new ValidationError("a batch has only a commands field", [
        { path: extra[0] ?? "", message: "unexpected field" },
      ]);
    }
    return list.map((c, i) => parseOne(c, `commands.${i}`));
  }
  return [parseOne(body, "")];
}

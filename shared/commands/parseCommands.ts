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

function parseOne(raw: unknown, prefix: string): Command {
  if (!isRecord(raw)) {
    throw new ValidationError("a command must be a JSON object", [
      { path: prefix, message: "expected an object" },
    ]);
  }
  if (!isCommandType(raw.type)) {
    throw new AppError("unknown_command", `unknown command type ${JSON.stringify(raw.type)}`, {
      details: { path: [prefix, "type"].filter(Boolean).join("."), known: commandTypes },
    });
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

/**
 * A Redis reply as the REST layer sees it. Integers keep Redis' own digits so
 * values beyond 2^53 reach the JSON body exactly; strings stay bytes so binary
 * values survive until the response encoding decides how to show them.
 */
export type RespReply =
  | { readonly type: "nil" }
  | { readonly type: "string"; readonly bytes: Uint8Array }
  | { readonly type: "integer"; readonly digits: string }
  | { readonly type: "error"; readonly message: string }
  | { readonly type: "array"; readonly items: readonly RespReply[] };

/** One command: its name then its arguments, each as raw bytes. */
export type CommandArgs = readonly Buffer[];

/** A `/multi-exec` either ran every command (each may still fail) or none. */
export type TransactionOutcome =
  | { readonly kind: "executed"; readonly replies: readonly RespReply[] }
  | { readonly kind: "discarded"; readonly message: string };

import type { ListingSort } from "../views/readModels.ts";
import { words } from "./text.ts";

/** Amounts are at most 1e12 (the command schema's bound); 13 digits keep the key fixed-width. */
const amountDigits = 13;
const maxAmount = 10 ** amountDigits - 1;
const seqDigits = 16;
const maxSeq = Number.MAX_SAFE_INTEGER;

/** Lower than every character a name key can hold (words joined by spaces). */
const nameSeparator = "\u0001";

const pad = (n: number, digits: number) => String(n).padStart(digits, "0");
const clampAmount = (amount: number) => Math.min(Math.max(Math.trunc(amount), 0), maxAmount);

/**
 * A name as it sorts: its words, normalized, joined by single spaces, so
 * "Äpfel" files under "apfel" and punctuation does not decide the order.
 *
 * @example
 * nameSortKey("The Äpfel-Box"); // → "the apfel box"
 */
export function nameSortKey(name: string): string {
  return words(name).join(" ");
}

/**
 * The key each listing sort orders by, ties broken by id. Fixed-width numeric
 * prefixes make byte order equal numeric order; descending sorts store the
 * complement so every store only ever scans ascending.
 *
 * @example
 * listingSortKeys({ id: "p1", name: "Lamp", amount: 1999, createdSeq: 7 }).price_asc; // → "0000000001999|p1"
 */
export function listingSortKeys(p: {
  id: string;
  name: string;
  amount: number;
  createdSeq: number;
}): Record<ListingSort, string> {
  const amount = clampAmount(p.amount);
  return {
    price_asc: `${pad(amount, amountDigits)}|${p.id}`,
    price_desc: `${pad(maxAmount - amount, amountDigits)}|${p.id}`,
    name: `${nameSortKey(p.name)}${nameSeparator}${p.id}`,
    newest: `${pad(maxSeq - p.createdSeq, seqDigits)}|${p.id}`,
  };
}

import type { ListingSort } from "../views/readModels.ts";
import { sharedWords } from "./text.ts";

/** Amounts are at most 1e12 (the command schema's bound); 13 digits keep the key fixed-width. */
const amountDigits = 13;
const maxAmount = 10 ** amountDigits - 1;
const seqDigits = 16;
const maxSeq = Number.MAX_SAFE_INTEGER;

/** Lower than every character a name key can hold (words joined by spaces). */
const nameSeparator = "\u0001";

const zeros = "0".repeat(seqDigits);
/** `String(n).padStart(digits, "0")` for digits up to 16, without padStart's generic filler. */
const pad = (n: number, digits: number) => {
  const s = String(n);
  return s.length >= digits ? s : zeros.slice(0, digits - s.length) + s;
};
const clampAmount = (amount: number) => Math.min(Math.max(Math.trunc(amount), 0), maxAmount);

/**
 * A name as it sorts: its words, normalized, joined by single spaces, so
 * "Äpfel" files under "apfel" and punctuation does not decide the order.
 *
 * @example
 * nameSortKey("The Äpfel-Box"); // → "the apfel box"
 */
export function nameSortKey(name: string): string {
  if (name !== lastName) {
    lastKey = sharedWords(name).join(" ");
    lastName = name;
  }
  return lastKey;
}

// A product's listing and facet entries both sort by its name key, one after the other.
let lastName: string | undefined;
let lastKey = "";

/**
 * The `name` listing key alone, for the facet entry, which sorts by it.
 *
 * @example
 * nameKey("Lamp", "p1") === listingSortKeys({ id: "p1", name: "Lamp", amount: 0, createdSeq: 1 }).name; // → true
 */
export const nameKey = (name: string, id: string): string =>
  `${nameSortKey(name)}${nameSeparator}${id}`;

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
    name: nameKey(p.name, p.id),
    newest: `${pad(maxSeq - p.createdSeq, seqDigits)}|${p.id}`,
  };
}

import { AppError } from "../errors/index.ts";
import type { EventType } from "./types.ts";

/**
 * The schema version each event type's data has today: what commands write,
 * and what every reader of the log sees after upcasting. Bump a type's
 * version only together with an upcaster from the previous one (upcasters.ts).
 */
export const currentEventVersions: { readonly [T in EventType]: number } = {
  "category.created": 1,
  "category.renamed": 1,
  "product.created": 1,
  "product.updated": 1,
  "product.priceChanged": 1,
  "product.stockAdjusted": 2,
  "product.published": 1,
  "product.archived": 1,
  "product.deleted": 1,
};

/**
 * An event written by newer code than this one: applying it with a guess at
 * its shape could corrupt the views, so it is refused (422), never skipped.
 */
export class UnsupportedEventVersionError extends AppError {
  override readonly name = "UnsupportedEventVersionError";
  constructor(type: EventType, version: number, seq?: number) {
    super(
      "unsupported_event_version",
      `${seq === undefined ? "" : `event ${seq}: `}${type} has schema version ${version}, this code knows up to ${currentEventVersions[type]}; upgrade it before it reads this log`,
      { details: { type, schemaVersion: version, known: currentEventVersions[type], seq } },
    );
  }
}

import type { Client } from "@upstash/qstash";
import type { PublishBatch } from "./relay.ts";

/**
 * Publishes relay batches to the readers' URL group through the official
 * QStash Client. QStash fans the message out to every endpoint, signs each
 * delivery for that endpoint's URL, and retries per endpoint.
 */
export const qstashPublisher =
  (client: Client, urlGroup: string, retries: number): PublishBatch =>
  async ({ body, deduplicationId }) => {
    await client.publish({
      urlGroup,
      body,
      headers: { "content-type": "application/json" },
      deduplicationId,
      retries,
    });
  };

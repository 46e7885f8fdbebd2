import type { Client } from "@upstash/qstash";
import type { PublishBatch } from "./relay.ts";

const isMissingGroup = (error: unknown) => /not found|404/i.test(String(error));

/**
 * Publishes relay batches to the readers' URL group through the official
 * QStash Client. QStash fans the message out to every endpoint, signs each
 * delivery for that endpoint's URL, and retries per endpoint. When QStash no
 * longer knows the group (deleted by hand, a fresh local server),
 * `restoreGroup` puts it back and the publish is tried once more.
 */
export const qstashPublisher =
  (
    client: Client,
    urlGroup: string,
    retries: number,
    restoreGroup?: () => Promise<void>,
  ): PublishBatch =>
  async ({ body, deduplicationId }) => {
    const publish = () =>
      client.publish({
        urlGroup,
        body,
        headers: { "content-type": "application/json" },
        deduplicationId,
        retries,
      });
    try {
      await publish();
    } catch (error) {
      if (!restoreGroup || !isMissingGroup(error)) throw error;
      await restoreGroup();
      await publish();
    }
  };

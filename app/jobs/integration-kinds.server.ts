import { z } from "zod";
import { defineJobKind, enqueue } from "./queue.server";

// The HTTP integration jobs as their producers see them; the handlers are in integrations.server.ts.

/**
 * Sends one IntegrationDelivery (services/integrations/delivery.server.ts). Five attempts in all,
 * with exponential backoff and jitter from 10 s (about 10 s, 20 s, 40 s, 80 s): a receiver down
 * for a couple of minutes still gets the call; after the last attempt the delivery is marked
 * given up in the log, where the merchant can replay it.
 */
export const integrationDeliveryJobKind = defineJobKind({
  name: "integration-delivery",
  schema: z.object({ workspaceId: z.string().uuid(), deliveryId: z.string().uuid() }),
  retryLimit: 4,
  retryDelaySeconds: 10,
  retryBackoff: true,
  // Above the outbound timeout (10 s) and the bookkeeping around it.
  timeoutSeconds: 60,
});

/** Queues a delivery; while one is waiting for it, queuing another changes nothing (null). */
export function queueIntegrationDelivery(workspaceId: string, deliveryId: string): Promise<string | null> {
  return enqueue(
    integrationDeliveryJobKind,
    { workspaceId, deliveryId },
    { singletonKey: `integration-delivery:${deliveryId}` },
  );
}

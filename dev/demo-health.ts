// DEV/DEMO ONLY: after the demo installs Shopdesk, prove the path a store change takes: the emulator
// counts the app as installed, Shopdesk's calls to the store are accepted (its stored token is one
// this emulator issued), and a webhook reaches Shopdesk and is answered 2xx. Each problem comes back
// as a sentence saying what is wrong and what to do, for the demo to print.
import type { StoreEmulator } from "./store-emulator/index.ts";
import { customerPayload } from "./store-emulator/payloads.ts";

export interface HealthOptions {
  /** Only requests logged after this index count (the log before the demo started its stack). */
  requestsSince?: number;
  timeoutMs?: number;
  /** What to suggest when the stores and Shopdesk disagree (e.g. "delete .shopdesk/demo"). */
  startOver: string;
}

export async function checkStoreChangesReachShopdesk(
  emulator: StoreEmulator,
  shopDomains: string[],
  options: HealthOptions,
): Promise<string[]> {
  const problems: string[] = [];
  const timeoutMs = options.timeoutMs ?? 15_000;
  const sent: { shop: string; entries: ReturnType<StoreEmulator["deliverWebhook"]> }[] = [];
  for (const shop of shopDomains) {
    if (!emulator.isInstalled(shop)) {
      problems.push(
        `${shop}: the store emulator does not count Shopdesk as installed, so store changes will not be sent to it ` +
          `(Shopdesk kept a session from an earlier run that this emulator never issued). ${options.startOver}`,
      );
      continue;
    }
    const refused = emulator.requests
      .slice(options.requestsSince ?? 0)
      .filter((request) => request.shop === shop && request.status === 401);
    if (refused.length > 0) {
      problems.push(
        `${shop}: the store refused Shopdesk's access token ${refused.length} time(s) (401 on ${refused[0]!.path}), ` +
          `so imports and webhook processing fail. ${options.startOver}`,
      );
    }
    // An unchanged customer sent again as customers/update: a real webhook that changes no data.
    const state = emulator.shop(shop).state;
    const [customer] = state.customers.values();
    if (!customer) continue;
    sent.push({ shop, entries: emulator.deliverWebhook(shop, "customers/update", customerPayload(state, customer)) });
  }

  const deadline = Date.now() + timeoutMs;
  const settled = () => sent.every(({ entries }) => entries.every((entry) => entry.state !== "pending"));
  while (!settled() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const { shop, entries } of sent) {
    for (const entry of entries) {
      if (entry.state === "delivered") continue;
      const last = entry.attempts.at(-1);
      const what =
        entry.state === "pending"
          ? `no answer within ${timeoutMs / 1000}s`
          : `answered ${last?.status ?? last?.error ?? "nothing"} after ${entry.attempts.length} attempt(s)`;
      problems.push(
        `${shop}: a test webhook (customers/update) to ${entry.url} got ${what}: store changes are not reaching ` +
          `Shopdesk. Look at the app log for the error.`,
      );
    }
  }
  return problems;
}

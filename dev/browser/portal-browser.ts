// What the storefront portal's browser tests stand on: the demo storefront (real theme app
// extension) → App Proxy emulation → the portal API stand-in (dev/storefront/portal-api-standin.ts),
// and Chromium on it. The admin is not part of it (its app URL leads nowhere).
import { startStorefront, type DemoCustomer, type Storefront } from "../storefront/index.ts";
import { startPortalStandin, type PortalStandin } from "../storefront/portal-api-standin.ts";
import { launchShopdeskBrowser, type ShopdeskBrowser } from "./launch.ts";

export interface PortalBrowser {
  api: PortalStandin;
  storefront: Storefront;
  harness: ShopdeskBrowser;
  close(): Promise<void>;
}

/** The stand-in API, the storefront (shop demo-goods) and Chromium; `customers` by their numeric id. */
export async function startPortalBrowser(options: {
  apiSecret: string;
  /** The store's customers a shopper may be logged in as. */
  customers: Record<string, DemoCustomer>;
}): Promise<PortalBrowser> {
  const started: { close(): Promise<void> }[] = [];
  const close = async () => {
    for (const part of started.reverse()) await part.close();
  };
  try {
    const api = await startPortalStandin();
    started.push(api);
    const storefront = await startStorefront({
      appUrl: api.url,
      apiSecret: options.apiSecret,
      shop: "demo-goods.myshopify.com",
      shopName: "Demo Goods",
      lookupCustomer: (id) => (Object.hasOwn(options.customers, id) ? options.customers[id]! : null),
    });
    started.push(storefront);
    const harness = await launchShopdeskBrowser({
      appUrl: "http://127.0.0.1:9",
      apiKey: "unused",
      apiSecret: options.apiSecret,
      storefrontUrl: storefront.url,
    });
    started.push(harness);
    return { api, storefront, harness, close };
  } catch (error) {
    await close();
    throw error;
  }
}

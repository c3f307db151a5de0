// DEV/TEST ONLY: the Loop Returns integration and widget of seed 002 (the tutorial's two curl
// requests, kept in tests/integration/fixtures/seed-002 as the REST API's contract), pointed at
// the fake Loop server, and the demo's changes to the widget: the return's timestamps typed as
// dates; on each return, a link to its status page and a "Return portal link" button (a custom
// action on Loop's POST /api/v1/order/link with the order name fixed and the zip, the shopper's
// postcode or email, for the agent to fill in).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const seedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../tests/integration/fixtures/seed-002");

/** The JSON body (`-d '…'`) of one of the seed's curl files, placeholders filled in. */
function curlBody(file: string, values: Record<string, string>): Record<string, unknown> {
  let text = readFileSync(path.join(seedDir, file), "utf8");
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`{{${name}}}`, value);
  const body = /-d '([\s\S]*)'\s*$/.exec(text);
  if (!body) throw new Error(`${file} has no -d '…' body`);
  return JSON.parse(body[1]!) as Record<string, unknown>;
}

/** Seed 002's create-integration body, with Loop's API base swapped for `loopUrl` and the key filled in. */
export function loopIntegrationBody(loopUrl: string, apiKey: string) {
  const body = curlBody("create-integration.curl", { YOUR_LOOP_RETURNS_API_KEY: apiKey });
  const http = body.http as { url: string };
  http.url = http.url.replace("https://api.loopreturns.com", loopUrl);
  return body;
}

export const RETURN_LINK_BUTTON = "Return portal link";
export const ZIP_LABEL = "Postcode or email";
const DATE_PATHS = new Set(["created_at", "updated_at", "label_updated_at"]);

/**
 * Seed 002's create-widget body for `integrationId` (its STORENAME: the store's Loop subdomain),
 * with each return card's custom link and button.
 */
export function loopWidgetBody(options: { integrationId: number; loopUrl: string; storeHandle: string }) {
  const body = curlBody("create-widget.curl", { ID_OF_THE_INTEGRATION_CREATED_ABOVE: String(options.integrationId) });
  type Node = { meta?: Record<string, unknown>; widgets?: Node[] };
  const template = body.template as Node;
  const loopCard = template.widgets![0]!;
  loopCard.meta = { ...loopCard.meta, link: `https://${options.storeHandle}.loopreturns.com/#/` };
  const returnCard = loopCard.widgets!.find((node) => (node as { path?: string }).path === "data")!.widgets![0]!;
  // The seed shows Loop's timestamps as text (raw ISO); typed as dates, as a merchant would set them
  // in the template editor, they read in the store's time zone.
  for (const row of returnCard.widgets as { path?: string; type?: string }[]) {
    if (DATE_PATHS.has(row.path ?? "")) row.type = "date";
  }
  returnCard.meta = {
    ...returnCard.meta,
    custom: {
      links: [{ label: "Status page", url: "{{status_page_url}}" }],
      buttons: [
        {
          label: RETURN_LINK_BUTTON,
          action: {
            method: "POST",
            url: `${options.loopUrl}/api/v1/order/link`,
            // None: the server adds the integration's own headers (Loop's key) to its actions.
            headers: [],
            params: [],
            body: {
              contentType: "application/json",
              "application/json": [
                { key: "name", value: "{{order_name}}", editable: false, mandatory: true, label: "Order" },
                { key: "zip", value: "{{customer}}", editable: true, mandatory: true, label: ZIP_LABEL },
              ],
            },
          },
        },
      ],
    },
  };
  return body;
}

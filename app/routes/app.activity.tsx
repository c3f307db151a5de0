import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, Layout, Page, Text } from "@shopify/polaris";
import { formatShopTime } from "~/components/formatting";
import { privacyRequestLabel, WEBHOOK_STATUS_WORDS, webhookTopicLabel } from "~/domain/webhook-topics";
import { listComplianceRequests } from "~/models/compliance.server";
import { requireInstalledShop } from "~/models/shop.server";
import { webhookActivity } from "~/models/webhook-event.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const [activity, privacy] = await Promise.all([webhookActivity(shop.domain), listComplianceRequests(shop.domain)]);
  const zone = shop.ianaTimezone;
  return {
    events: activity.latest.map((event) => ({
      id: event.id,
      what: webhookTopicLabel(event.topic),
      status: event.status,
      attempts: event.attempts,
      lastError: event.lastError,
      receivedAt: formatShopTime(event.receivedAt.toISOString(), zone),
    })),
    privacy: privacy.map((request) => ({
      id: request.id,
      what: privacyRequestLabel(request.topic, request.completedAt !== null),
      // Who asked, by the address Shopify sent (never Shopify's customer id); an erased customer stays unnamed.
      who: request.topic === "customers/data_request" ? request.email : null,
      completedAt: formatShopTime(request.completedAt?.toISOString() ?? null, zone),
    })),
  };
};

const STATUS_TONE = { processed: "success", skipped: undefined, received: "attention", failed: "critical" } as const;

export default function Activity() {
  const { events, privacy } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Activity" />
      <Layout>
        <Layout.Section>
          <Card padding="0">
            {events.length === 0 ? (
              <EmptyState heading="No updates from Shopify yet" image="">
                <p>Orders, customers and store changes appear here as Shopify reports them.</p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "update", plural: "updates" }}
                itemCount={events.length}
                selectable={false}
                headings={[{ title: "Received" }, { title: "What changed" }, { title: "Result" }, { title: "Details" }]}
              >
                {events.map((event, index) => (
                  <IndexTable.Row id={event.id} key={event.id} position={index}>
                    <IndexTable.Cell>{event.receivedAt}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" fontWeight="semibold">
                        {event.what}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={STATUS_TONE[event.status]}>{WEBHOOK_STATUS_WORDS[event.status].label}</Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {/* Table cells do not wrap by default: these sentences must. */}
                      <div style={{ whiteSpace: "normal", minWidth: 240 }}>
                        <Text as="span" tone="subdued" breakWord>
                          {event.lastError
                            ? `${WEBHOOK_STATUS_WORDS[event.status].explanation} Last error: ${event.lastError} (after ${event.attempts} ${event.attempts === 1 ? "try" : "tries"})`
                            : WEBHOOK_STATUS_WORDS[event.status].explanation}
                        </Text>
                      </div>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Privacy requests
              </Text>
              {privacy.length === 0 ? (
                <Text as="p" tone="subdued">
                  None so far. Shopify forwards customer data and erasure requests here; Shopdesk handles them
                  automatically.
                </Text>
              ) : (
                privacy.map((request) => (
                  <BlockStack key={request.id} gap="050">
                    <Text as="p">{request.what}</Text>
                    <Text as="p" tone="subdued" variant="bodySm">
                      {[request.who, request.completedAt].filter(Boolean).join(" · ")}
                    </Text>
                  </BlockStack>
                ))
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

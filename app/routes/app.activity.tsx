import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, Layout, Page, Text } from "@shopify/polaris";
import { formatShopTime } from "~/components/formatting";
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
      topic: event.topic,
      status: event.status,
      attempts: event.attempts,
      lastError: event.lastError,
      receivedAt: formatShopTime(event.receivedAt.toISOString(), zone),
    })),
    privacy: privacy.map((request) => ({
      id: request.id,
      topic: request.topic,
      customerId: request.customerId,
      completedAt: formatShopTime(request.completedAt?.toISOString() ?? null, zone),
    })),
  };
};

const STATUS_TONE = { processed: "success", skipped: undefined, received: "attention", failed: "critical" } as const;
const STATUS_LABEL = { processed: "Processed", skipped: "Skipped", received: "Waiting", failed: "Failed" } as const;
const PRIVACY_LABEL: Record<string, string> = {
  "customers/data_request": "Customer data request: report prepared",
  "customers/redact": "Customer erasure: done",
  "shop/redact": "Store erasure: done",
};

export default function Activity() {
  const { events, privacy } = useLoaderData<typeof loader>();
  return (
    <Page title="Activity" backAction={{ content: "Home", url: "/app" }}>
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
                headings={[{ title: "Received" }, { title: "Topic" }, { title: "Status" }, { title: "Details" }]}
              >
                {events.map((event, index) => (
                  <IndexTable.Row id={event.id} key={event.id} position={index}>
                    <IndexTable.Cell>{event.receivedAt}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" fontWeight="semibold">
                        {event.topic}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={STATUS_TONE[event.status]}>{STATUS_LABEL[event.status]}</Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {event.lastError ? `${event.lastError} (attempt ${event.attempts})` : ""}
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
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
                    <Text as="p">{PRIVACY_LABEL[request.topic] ?? request.topic}</Text>
                    <Text as="p" tone="subdued" variant="bodySm">
                      {request.customerId ? `Customer ${request.customerId} · ` : ""}
                      {request.completedAt}
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

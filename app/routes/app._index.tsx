import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Page,
  Text,
} from "@shopify/polaris";
import { formatCount, formatShopTime } from "~/components/formatting";
import { getShopOverview } from "~/models/overview.server";
import { requireInstalledShop } from "~/models/shop.server";
import { fetchShopDetails } from "~/services/shopify/shop-details.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  await requireInstalledShop(session.shop, admin);
  const [shop, overview] = await Promise.all([fetchShopDetails(admin), getShopOverview(session.shop)]);
  const zone = shop.ianaTimezone;
  return {
    shop,
    overview,
    installedAt: formatShopTime(overview.installedAt, zone),
    lastWebhookAt: formatShopTime(overview.webhooks.lastReceivedAt, zone),
  };
};

function Stat({ label, value, tone }: { label: string; value: number; tone?: "critical" | "success" }) {
  return (
    <BlockStack gap="100">
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="span" variant="headingLg" tone={tone && value > 0 ? tone : undefined}>
        {formatCount(value)}
      </Text>
    </BlockStack>
  );
}

export default function Home() {
  const { shop, overview, installedAt, lastWebhookAt } = useLoaderData<typeof loader>();
  const { webhooks, held, workspace } = overview;

  return (
    <Page>
      <TitleBar title="Shopdesk" />
      <BlockStack gap="500">
        {overview.missingScopes.length > 0 && (
          <Banner tone="warning" title="Shopdesk is missing permissions">
            <p>
              Reopen Shopdesk from your Shopify admin to grant: {overview.missingScopes.join(", ")}. Until then some
              orders or customers may not appear.
            </p>
          </Banner>
        )}
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h1" variant="headingXl">
                    {shop.name}
                  </Text>
                  <Badge tone={shop.plan.shopifyPlus ? "info" : undefined}>{shop.plan.displayName}</Badge>
                  {shop.plan.partnerDevelopment && !/development/i.test(shop.plan.displayName) && (
                    <Badge>Development store</Badge>
                  )}
                </InlineStack>
                <Text as="p" tone="subdued">
                  {shop.myshopifyDomain} · {shop.currencyCode} · {shop.ianaTimezone}
                </Text>
                <Text as="p">
                  Installed {installedAt}. Workspace <strong>{workspace.name}</strong> serves{" "}
                  {workspace.shops.length === 1 ? "this store" : `${workspace.shops.length} stores`}.
                </Text>
                {workspace.shops.length > 1 && (
                  <List type="bullet">
                    {workspace.shops.map((member) => (
                      <List.Item key={member.domain}>
                        {member.name ?? member.domain} ({member.domain})
                      </List.Item>
                    ))}
                  </List>
                )}
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section>
            <Card>
              <BlockStack gap="400">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Sync with Shopify
                  </Text>
                  <Badge tone={webhooks.failed > 0 ? "critical" : "success"}>
                    {webhooks.failed > 0 ? "Needs attention" : "Healthy"}
                  </Badge>
                </InlineStack>
                <InlineGrid columns={4} gap="400">
                  <Stat label="Webhooks processed" value={webhooks.processed} />
                  <Stat label="Skipped (older or duplicate)" value={webhooks.skipped} />
                  <Stat label="Waiting" value={webhooks.received} />
                  <Stat label="Failed" value={webhooks.failed} tone="critical" />
                </InlineGrid>
                <Text as="p" tone="subdued">
                  {lastWebhookAt
                    ? `Last update from Shopify: ${webhooks.lastTopic} at ${lastWebhookAt}.`
                    : "No updates from Shopify yet. They arrive as your store changes."}{" "}
                  <RemixLink to="/app/activity">See activity</RemixLink>
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Data Shopdesk holds for this store
                </Text>
                <DataTable
                  columnContentTypes={["text", "numeric"]}
                  headings={["Kind", "Count"]}
                  rows={[
                    ["Webhook events", formatCount(held.webhookEvents)],
                    ["Privacy requests handled", formatCount(held.complianceRequests)],
                    ["Access sessions", formatCount(held.sessions)],
                  ]}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

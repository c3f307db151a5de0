import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteError } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Card, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { RouteErrorPage } from "~/components/ErrorPages";
import { formatMoney, formatShopTime } from "~/components/formatting";
import { OrderStatusBadge } from "~/components/OrderStatusBadge";
import { timelineEventLabelEn, type TimelineEvent } from "~/domain/order-timeline";
import { describeOrderStatus } from "~/domain/order-status";
import { requireInstalledShop } from "~/models/shop.server";
import { ensureOrderTimeline } from "~/services/sync/order-timeline.server";
import { authenticate } from "~/shopify.server";

// An order as an agent sees it: status and tracking timeline. The URL carries Shopify's numeric
// order id (as the Shopify admin's does); the order is looked up in the authenticated shop only.
const ParamsSchema = z.object({ orderId: z.string().regex(/^\d{1,20}$/) });

const notFound = () => new Response("Order not found", { status: 404 });

function describeEntry(event: TimelineEvent): string | null {
  switch (event.kind) {
    case "carrier_update":
      return [event.message, event.location].filter(Boolean).join(" · ") || null;
    case "shipment_created":
      return (
        event.tracking
          .map((link) => [link.carrier, link.number].filter(Boolean).join(" "))
          .filter(Boolean)
          .join(", ") || null
      );
    case "order_cancelled":
      return event.reasonText;
    default:
      return null;
  }
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw notFound();
  const result = await ensureOrderTimeline(session.shop, `gid://shopify/Order/${parsed.data.orderId}`);
  if (!result) throw notFound();
  const { order, timeline, trackingDetails } = result;
  const zone = shop.ianaTimezone;
  const status = describeOrderStatus(order);
  return {
    order: {
      name: order.name,
      placedAt: formatShopTime(order.processedAt, zone),
      total: formatMoney(order.totalPrice.amount, order.currencyCode),
      status: status.status,
      statusLabel: status.label,
      statusDetail: status.detail,
      adminUrl: `shopify:admin/orders/${parsed.data.orderId}`,
    },
    // Newest first, as agents read a parcel's news.
    timeline: [...timeline].reverse().map((event) => ({
      id: event.id,
      title: timelineEventLabelEn(event),
      at: formatShopTime(event.at, zone),
      description: describeEntry(event),
    })),
    trackingDetailsLoaded: trackingDetails === "complete",
  };
};

export default function OrderView() {
  const { order, timeline, trackingDetailsLoaded } = useLoaderData<typeof loader>();
  return (
    // The title is the admin's title bar; the page keeps only the back arrow of a drill-down page.
    <Page backAction={{ content: "Customers", url: "/app/customers" }}>
      <TitleBar title={`Order ${order.name}`} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {!trackingDetailsLoaded && (
              <Banner tone="warning" title="Tracking details could not be loaded">
                <p>
                  Shopify did not answer in time, so the carrier&apos;s updates for this order are missing below. The
                  order&apos;s status is current. Reload the page in a moment to try again.
                </p>
              </Banner>
            )}
            <Card>
              <BlockStack gap="300">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Status
                  </Text>
                  <OrderStatusBadge status={order.status} label={order.statusLabel} />
                </InlineStack>
                {order.statusDetail && <Text as="p">{order.statusDetail}</Text>}
                <Text as="p" tone="subdued">
                  {[order.placedAt && `Placed ${order.placedAt}`, order.total].filter(Boolean).join(" · ")}
                </Text>
                <Link url={order.adminUrl}>Open in Shopify admin</Link>
              </BlockStack>
            </Card>
            <Card padding="0">
              <Box padding="400" paddingBlockEnd="200">
                <Text as="h2" variant="headingMd">
                  Timeline
                </Text>
              </Box>
              <ol aria-label="Order timeline" style={{ listStyle: "none", margin: 0, padding: 0 }}>
                {timeline.map((entry) => (
                  <li key={entry.id}>
                    <Box paddingInline="400" paddingBlock="200" borderBlockStartWidth="025" borderColor="border">
                      <BlockStack gap="050">
                        <InlineStack align="space-between" gap="200">
                          <Text as="span" fontWeight="semibold">
                            {entry.title}
                          </Text>
                          <Text as="span" tone="subdued">
                            {entry.at}
                          </Text>
                        </InlineStack>
                        {entry.description && (
                          <Text as="span" tone="subdued">
                            {entry.description}
                          </Text>
                        )}
                      </BlockStack>
                    </Box>
                  </li>
                ))}
              </ol>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return (
    <RouteErrorPage
      error={useRouteError()}
      embedded
      notFound={{
        title: "Order not found",
        heading: "We couldn't find this order",
        message: "It may belong to another store, or Shopify may have deleted it.",
        action: { content: "Back to Customers", url: "/app/customers" },
      }}
    />
  );
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRevalidator, useRouteError } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Box, Card, EmptyState, IndexTable, InlineStack, Link, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { RouteErrorPage } from "~/components/ErrorPages";
import { requireInstalledShop } from "~/models/shop.server";
import { visitorsPageData } from "~/services/tickets/visitors-page.server";
import { authenticate } from "~/shopify.server";

// "On the store now": shoppers with a storefront tab open who have used the chat widget, the page
// they are on and their chat. Their widget's heartbeat is not announced to agents' pages (it would
// be a notification per shopper every 2 minutes), so the page looks again every 30 seconds. Polaris
// links inside the app navigate client-side (the AppProvider gives Polaris Remix's Link).

const REFRESH_MS = 30_000;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  return visitorsPageData({ workspaceId: shop.workspaceId, timeZone: shop.ianaTimezone });
};

/** Looks again every REFRESH_MS while the page is in view (a hidden tab costs nothing). */
function useRefresh() {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [revalidator]);
}

export default function VisitorsOnStore() {
  const { visitors, total, windowMinutes } = useLoaderData<typeof loader>();
  useRefresh();
  return (
    <Page>
      <TitleBar title="On the store now" />
      <BlockStack gap="300">
        <Text as="p" tone="subdued">
          {`Shoppers seen on your storefront in the last ${windowMinutes} minutes, with the page they are on. The list updates by itself.`}
        </Text>
        <Card padding="0">
          {visitors.length === 0 ? (
            <EmptyState heading="No shoppers on the store right now" image="">
              <p>
                Shoppers appear here once they have opened the Shopdesk chat or help widget on your storefront, for as
                long as they have a page of your store open. Shoppers who never opened the widget are not listed.
              </p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "shopper", plural: "shoppers" }}
              itemCount={visitors.length}
              selectable={false}
              headings={[
                { title: "Shopper" },
                { title: "Store" },
                { title: "Page" },
                { title: "Last seen" },
                { title: "Chat" },
              ]}
            >
              {visitors.map((visitor, index) => (
                <IndexTable.Row id={visitor.id} key={visitor.id} position={index}>
                  <IndexTable.Cell>
                    <BlockStack gap="050">
                      {visitor.customerUrl ? (
                        <Link url={visitor.customerUrl} removeUnderline>
                          <Text as="span" fontWeight="semibold">
                            {visitor.name}
                          </Text>
                        </Link>
                      ) : (
                        <Text as="span" fontWeight="semibold">
                          {visitor.name}
                        </Text>
                      )}
                      {visitor.email && (
                        <Text as="span" variant="bodySm" tone="subdued">
                          {visitor.email}
                        </Text>
                      )}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{visitor.store}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ maxWidth: 320, overflowWrap: "anywhere", whiteSpace: "normal" }}>
                      {visitor.pageUrl ? (
                        <Link url={visitor.pageUrl} target="_blank" removeUnderline>
                          {visitor.page}
                        </Link>
                      ) : (
                        visitor.page
                      )}
                    </div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <span title={visitor.lastSeenAt ?? undefined}>{visitor.lastSeen}</span>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {visitor.chat ? (
                      <InlineStack gap="200" blockAlign="center" wrap={false}>
                        <Link url={visitor.chat.url}>{visitor.chat.label}</Link>
                        <Badge tone={visitor.chat.open ? "attention" : undefined}>{visitor.chat.status}</Badge>
                      </InlineStack>
                    ) : (
                      <Text as="span" tone="subdued">
                        No chat
                      </Text>
                    )}
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
          {total > visitors.length && (
            <Box padding="400">
              <Text as="p" tone="subdued">
                {`Showing the ${visitors.length} most recently seen of ${total} shoppers.`}
              </Text>
            </Box>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}

// Inside the app's layout: the navigation stays.
export function ErrorBoundary() {
  return <RouteErrorPage error={useRouteError()} embedded />;
}

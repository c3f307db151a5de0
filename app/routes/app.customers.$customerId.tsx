import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteError } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Box, Card, DataTable, Layout, Link, Page, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { z } from "zod";
import { CustomerNoteEditor } from "~/components/CustomerNoteEditor";
import { RouteErrorPage } from "~/components/ErrorPages";
import { firstLocation } from "~/components/customer-location";
import { NoteFormSchema, noteSyncNotice, type NoteActionData } from "~/components/customer-note";
import { formatMoney, formatShopTime } from "~/components/formatting";
import { readForm } from "~/lib/form-data.server";
import { OrderStatusBadge } from "~/components/OrderStatusBadge";
import { getCustomerProfile } from "~/models/helpdesk-customer.server";
import { requireInstalledShop } from "~/models/shop.server";
import { saveCustomerNote } from "~/services/customer-notes.server";
import { authenticate } from "~/shopify.server";

const ParamsSchema = z.object({ customerId: z.uuid() });

const notFound = () => new Response("Customer not found", { status: 404 });

/** The customer id from the URL, or a 404: a malformed id is just a customer that does not exist. */
function customerIdFrom(params: Record<string, string | undefined>): string {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data.customerId;
}

/** gid://shopify/Order/123 → 123 */
const numericId = (gid: string) => gid.split("/").pop() ?? gid;

/**
 * The order in its store's admin. The current store's admin is the one around the app
 * (`shopify:admin/...`, App Bridge navigates in place); another store of the workspace opens in a
 * new tab, since the admin around us cannot show it.
 */
function orderAdminUrl(orderGid: string, shopDomain: string, currentDomain: string) {
  const id = numericId(orderGid);
  if (shopDomain === currentDomain) return { url: `shopify:admin/orders/${id}`, external: false };
  const handle = shopDomain.replace(/\.myshopify\.com$/, "");
  return { url: `https://admin.shopify.com/store/${handle}/orders/${id}`, external: true };
}

interface OrderRow {
  id: string;
  name: string;
  date: string | null;
  createdAt: number;
  status: string;
  statusLabel: string;
  total: string;
  url: string;
  external: boolean;
  /** Shopdesk's view of the order with its tracking timeline: orders of the signed-in store only. */
  timelineUrl: string | null;
}

interface StoreOrders {
  domain: string;
  name: string;
  current: boolean;
  /** The linked Shopify customers in this store, as the agent would recognise them. */
  accounts: string[];
  orders: OrderRow[];
}

const displayName = (person: { firstName: string | null; lastName: string | null }) =>
  [person.firstName, person.lastName].filter(Boolean).join(" ") || null;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const profile = await getCustomerProfile(shop.workspaceId, customerIdFrom(params));
  if (!profile) throw notFound();
  const zone = shop.ianaTimezone;

  // One group per store, in the order the customers are linked; the current store first.
  const stores = new Map<string, StoreOrders>();
  const orderRow = (order: (typeof profile.shopifyCustomers)[number]["orders"][number], domain: string): OrderRow => ({
    id: order.id,
    name: order.name,
    date: formatShopTime(order.shopifyCreatedAt.toISOString(), zone),
    createdAt: order.shopifyCreatedAt.getTime(),
    status: order.shopperStatus,
    statusLabel: order.shopperStatusLabel,
    total: formatMoney(order.totalAmount, order.currencyCode),
    ...orderAdminUrl(order.shopifyId, domain, shop.domain),
    timelineUrl: domain === shop.domain ? `/app/orders/${numericId(order.shopifyId)}` : null,
  });
  for (const customer of profile.shopifyCustomers) {
    const { domain } = customer.shop;
    const store = stores.get(domain) ?? {
      domain,
      name: customer.shop.name ?? domain,
      current: domain === shop.domain,
      accounts: [],
      orders: [],
    };
    store.accounts.push(displayName(customer) ?? customer.email ?? customer.phone ?? "Shopify customer");
    store.orders.push(...customer.orders.map((order) => orderRow(order, domain)));
    stores.set(domain, store);
  }
  const shops = [...stores.values()]
    .sort((a, b) => Number(b.current) - Number(a.current))
    .map((store) => ({ ...store, orders: store.orders.sort((a, b) => b.createdAt - a.createdAt) }));

  return {
    customer: {
      id: profile.id,
      name: profile.name,
      emails: profile.emails,
      phones: profile.phones,
      location: firstLocation(profile.shopifyCustomers.map((customer) => customer.addresses)),
    },
    note: {
      text: profile.note,
      version: profile.noteVersion,
      notice: noteSyncNotice({
        syncing: profile.noteSync.syncing,
        reason: profile.noteSync.reason,
        linkedShops: profile.shopifyCustomers.map((customer) => customer.shop.name ?? customer.shop.domain),
      }),
    },
    shops,
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const customerId = customerIdFrom(params);
  // Parsed before anything happens: a refused note reaches neither Shopify nor the database.
  const form = await readForm(request, NoteFormSchema, "note");
  if (!form.ok) {
    const invalid: NoteActionData = { status: "invalid", errors: form.errors };
    return data(invalid, { status: form.status });
  }
  const { note, baseVersion, resolution } = form.data;
  const result = await saveCustomerNote(shop.workspaceId, customerId, { note, baseVersion, resolution });
  return result satisfies NoteActionData;
};

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <BlockStack gap="050">
      <Text as="dt" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="dd">{children}</Text>
    </BlockStack>
  );
}

export default function CustomerProfile() {
  const { customer, note, shops } = useLoaderData<typeof loader>();
  const title = customer.name ?? customer.emails[0] ?? customer.phones[0] ?? "Unnamed customer";
  return (
    <Page title={title} backAction={{ content: "Customers", url: "/app/customers" }}>
      <TitleBar title={title} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {shops.length === 0 ? (
              <Card>
                <Text as="p" tone="subdued">
                  This customer is not linked to a Shopify customer, so there are no orders to show.
                </Text>
              </Card>
            ) : (
              shops.map((store) => (
                <Card key={store.domain} padding="0">
                  <BlockStack gap="0">
                    <Box padding="400" paddingBlockEnd="200">
                      <BlockStack gap="100">
                        <Text as="h2" variant="headingMd">
                          Orders in {store.name}
                        </Text>
                        <Text as="p" tone="subdued" variant="bodySm">
                          {store.domain} · Shopify customer{store.accounts.length > 1 ? "s" : ""}:{" "}
                          {store.accounts.join(", ")}
                        </Text>
                      </BlockStack>
                    </Box>
                    {store.orders.length === 0 ? (
                      <Box paddingInline="400" paddingBlockEnd="400">
                        <Text as="p" tone="subdued">
                          No orders in this store.
                        </Text>
                      </Box>
                    ) : (
                      <DataTable
                        columnContentTypes={["text", "text", "text", "numeric", "text"]}
                        headings={["Order", "Date", "Status", "Total", "Tracking"]}
                        rows={store.orders.map((order) => [
                          <Link
                            key="name"
                            url={order.url}
                            target={order.external ? "_blank" : undefined}
                            accessibilityLabel={`Order ${order.name} in the ${store.name} Shopify admin`}
                          >
                            {order.name}
                          </Link>,
                          order.date,
                          <OrderStatusBadge key="status" status={order.status} label={order.statusLabel} />,
                          order.total,
                          order.timelineUrl ? (
                            <Link
                              key="timeline"
                              url={order.timelineUrl}
                              accessibilityLabel={`Timeline of order ${order.name}`}
                            >
                              Timeline
                            </Link>
                          ) : (
                            "In its store"
                          ),
                        ])}
                      />
                    )}
                  </BlockStack>
                </Card>
              ))
            )}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Contact
                </Text>
                <dl style={{ margin: 0, display: "grid", gap: "var(--p-space-300)" }}>
                  <Field label={customer.emails.length > 1 ? "Emails" : "Email"}>
                    {customer.emails.length > 0 ? customer.emails.join(", ") : "None"}
                  </Field>
                  <Field label={customer.phones.length > 1 ? "Phones" : "Phone"}>
                    {customer.phones.length > 0 ? customer.phones.join(", ") : "None"}
                  </Field>
                  <Field label="Location">{customer.location ?? "Unknown"}</Field>
                </dl>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Notes
                </Text>
                {/* A fresh editor per customer: its local state must not leak between profiles. */}
                <CustomerNoteEditor
                  key={customer.id}
                  note={note.text}
                  version={note.version}
                  syncNotice={note.notice}
                />
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

// Inside the app's layout: the navigation stays and the merchant has a way back.
export function ErrorBoundary() {
  return (
    <RouteErrorPage
      error={useRouteError()}
      embedded
      notFound={{
        title: "Customer not found",
        heading: "We couldn't find this customer",
        message: "The link may be out of date: customers can be merged into another, or erased on request.",
        action: { content: "Back to Customers", url: "/app/customers" },
      }}
    />
  );
}

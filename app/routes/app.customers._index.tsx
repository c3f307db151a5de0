import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Banner,
  Box,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { formatCount } from "~/components/formatting";
import { storableString } from "~/lib/storable-text";
import { searchHelpdeskCustomers } from "~/models/helpdesk-customer.server";
import { requireInstalledShop } from "~/models/shop.server";
import { authenticate } from "~/shopify.server";

const PAGE_SIZE = 50;

export const CustomerSearchSchema = z.object({
  q: storableString().trim().max(200, "Search for at most 200 characters").default(""),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const params = new URL(request.url).searchParams;
  const search = CustomerSearchSchema.safeParse({ q: params.get("q") ?? undefined });
  if (!search.success) {
    const message = search.error.issues[0]?.message ?? "Check the search";
    return data({ q: params.get("q") ?? "", error: message, customers: [], more: false }, { status: 400 });
  }
  const rows = await searchHelpdeskCustomers(shop.workspaceId, search.data.q, PAGE_SIZE);
  return {
    q: search.data.q,
    error: null,
    more: rows.length === PAGE_SIZE,
    customers: rows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.emails[0] ?? null,
      phone: row.phones[0] ?? null,
      linked: row._count.shopifyCustomers,
    })),
  };
};

export default function Customers() {
  const { q, error, customers, more } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [query, setQuery] = useState(q);
  // Back/forward changes the URL: follow it.
  useEffect(() => setQuery(q), [q]);
  const searching = navigation.state === "loading" && navigation.location.pathname === "/app/customers";

  return (
    <Page title="Customers" backAction={{ content: "Home", url: "/app" }}>
      <TitleBar title="Customers" />
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <Form method="get" role="search">
                <InlineStack gap="200" blockAlign="end" wrap={false}>
                  <div style={{ flexGrow: 1 }}>
                    <TextField
                      label="Search customers"
                      name="q"
                      value={query}
                      onChange={setQuery}
                      autoComplete="off"
                      helpText="Name, email address or phone number"
                      error={error ?? undefined}
                      clearButton
                      onClearButtonClick={() => setQuery("")}
                    />
                  </div>
                  <Button submit loading={searching}>
                    Search
                  </Button>
                </InlineStack>
              </Form>
            </Box>
            {customers.length === 0 ? (
              <EmptyState heading={q ? `No customers match “${q}”` : "No customers yet"} image="">
                <p>
                  {q
                    ? "Try the full email address or phone number, or part of the name."
                    : "Customers appear here as Shopdesk imports them from Shopify."}
                </p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "customer", plural: "customers" }}
                itemCount={customers.length}
                selectable={false}
                loading={searching}
                headings={[
                  { title: "Name" },
                  { title: "Email" },
                  { title: "Phone" },
                  { title: "Shopify customers", alignment: "end" },
                ]}
              >
                {customers.map((customer, index) => (
                  <IndexTable.Row id={customer.id} key={customer.id} position={index}>
                    <IndexTable.Cell>
                      <Link url={`/app/customers/${customer.id}`} dataPrimaryLink removeUnderline monochrome>
                        <Text as="span" fontWeight="semibold">
                          {customer.name ?? customer.email ?? customer.phone ?? "Unnamed customer"}
                        </Text>
                      </Link>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{customer.email ?? "—"}</IndexTable.Cell>
                    <IndexTable.Cell>{customer.phone ?? "—"}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formatCount(customer.linked)}
                      </Text>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
        {more && (
          <Layout.Section>
            <Banner tone="info">
              <p>
                Showing the {PAGE_SIZE} most recently updated customers{q ? " that match" : ""}. Search by email or
                phone to find someone specific.
              </p>
            </Banner>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}

import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link as RemixLink, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, Box, Button, Card, EmptyState, IndexTable, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { formatAmounts, formatCount, formatPhone, formatShopDate } from "~/components/formatting";
import { CustomerSearchSchema } from "~/domain/customer-search";
import { CustomerSearchCursorError, searchHelpdeskCustomers } from "~/models/helpdesk-customer.server";
import { requireInstalledShop } from "~/models/shop.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const params = new URL(request.url).searchParams;
  // `error` is about what was typed (shown on the field); `pageError` about a page link.
  const refuse = (message: { error: string | null; pageError: string | null }) =>
    data({ q: params.get("q") ?? "", ...message, customers: [], previous: null, next: null }, { status: 400 });
  const search = CustomerSearchSchema.safeParse({
    q: params.get("q") ?? undefined,
    after: params.get("after") ?? undefined,
    before: params.get("before") ?? undefined,
  });
  if (!search.success) return refuse({ error: search.error.issues[0]?.message ?? "Check the search", pageError: null });
  try {
    const page = await searchHelpdeskCustomers(shop.workspaceId, search.data);
    const zone = shop.ianaTimezone;
    return {
      q: search.data.q,
      error: null,
      pageError: null,
      previous: page.previous,
      next: page.next,
      customers: page.customers.map((customer) => ({
        id: customer.id,
        name: customer.name,
        email: customer.email,
        phone: formatPhone(customer.phone),
        orders: customer.orderCount,
        totalSpent: formatAmounts(customer.totalSpent),
        lastOrder: formatShopDate(customer.lastOrderAt?.toISOString() ?? null, zone),
        openTickets: customer.openTickets,
      })),
    };
  } catch (error) {
    if (error instanceof CustomerSearchCursorError) return refuse({ error: null, pageError: error.message });
    throw error;
  }
};

export default function Customers() {
  const { q, error, pageError, customers, previous, next } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [query, setQuery] = useState(q);
  // Back/forward changes the URL: follow it.
  useEffect(() => setQuery(q), [q]);
  const searching = navigation.state === "loading" && navigation.location.pathname === "/app/customers";
  /** Another page of the same search. */
  const page = (cursor: { after: string } | { before: string }) => {
    const nextParams = new URLSearchParams();
    if (params.get("q")) nextParams.set("q", params.get("q")!);
    for (const [name, value] of Object.entries(cursor)) nextParams.set(name, value);
    navigate(`/app/customers?${nextParams}`);
  };

  return (
    <Page>
      <TitleBar title="Customers" />
      <Card padding="0">
        <Box padding="400">
          <Form method="get" role="search">
            <TextField
              label="Search customers"
              name="q"
              value={query}
              onChange={setQuery}
              autoComplete="off"
              helpText="Any part of a name (in any order), an email address or a phone number"
              error={error ?? undefined}
              clearButton
              onClearButtonClick={() => setQuery("")}
              connectedRight={
                <Button submit loading={searching}>
                  Search
                </Button>
              }
            />
          </Form>
        </Box>
        {pageError && (
          <Box padding="400" paddingBlockStart="0">
            <Banner
              tone="critical"
              action={{
                content: "First page",
                url: q ? `/app/customers?q=${encodeURIComponent(q)}` : "/app/customers",
              }}
            >
              <p>{pageError}</p>
            </Banner>
          </Box>
        )}
        {customers.length === 0 ? (
          error || pageError ? null : (
            <EmptyState heading={q ? `No customers match “${q}”` : "No customers yet"} image="">
              <p>
                {q
                  ? "Try fewer words, part of the email address, or the phone number's last digits."
                  : "Customers appear here as Shopdesk imports them from Shopify and as they write in."}
              </p>
            </EmptyState>
          )
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
              { title: "Orders", alignment: "end" },
              { title: "Total spent", alignment: "end" },
              { title: "Last order" },
              { title: "Open tickets", alignment: "end" },
            ]}
            pagination={
              previous || next
                ? {
                    hasPrevious: Boolean(previous),
                    hasNext: Boolean(next),
                    onPrevious: () => previous && page({ before: previous }),
                    onNext: () => next && page({ after: next }),
                  }
                : undefined
            }
          >
            {customers.map((customer, index) => (
              <IndexTable.Row
                id={customer.id}
                key={customer.id}
                position={index}
                onClick={() => navigate(`/app/customers/${customer.id}`)}
              >
                <IndexTable.Cell>
                  {/* The row opens the profile (a client-side navigation); the link is for keyboards. */}
                  <RemixLink
                    to={`/app/customers/${customer.id}`}
                    onClick={(event) => event.stopPropagation()}
                    style={{ color: "inherit", textDecoration: "none" }}
                  >
                    <Text as="span" fontWeight="semibold">
                      {customer.name ?? customer.email ?? customer.phone ?? "Unnamed customer"}
                    </Text>
                  </RemixLink>
                </IndexTable.Cell>
                <IndexTable.Cell>{customer.email ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <span style={{ whiteSpace: "nowrap" }}>{customer.phone ?? "—"}</span>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatCount(customer.orders)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {customer.totalSpent || "—"}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{customer.lastOrder ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric tone={customer.openTickets > 0 ? undefined : "subdued"}>
                    {formatCount(customer.openTickets)}
                  </Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}

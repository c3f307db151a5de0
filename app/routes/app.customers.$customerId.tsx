import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteError } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Card, DataTable, Layout, Link, Page, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { z } from "zod";
import { CustomerNoteEditor } from "~/components/CustomerNoteEditor";
import { MergeCandidatesCard, MergeChooser, MergeHistoryCard, PastTicketsCard } from "~/components/CustomerMerge";
import { RouteErrorPage } from "~/components/ErrorPages";
import {
  mergedMessage,
  ProfileActionSchema,
  ProfileQuerySchema,
  undoneMessage,
  type MergeActionData,
} from "~/components/customer-merge";
import type { NoteActionData } from "~/components/customer-note";
import { formatPhone, formatShopTime } from "~/components/formatting";
import { OrderStatusBadge } from "~/components/OrderStatusBadge";
import { choicesFromForm, MERGE_UNDO_DAYS } from "~/domain/customer-merge";
import { readForm } from "~/lib/form-data.server";
import {
  CustomerMergeRefused,
  listCustomerMerges,
  mergeCustomers,
  mergePreview,
  mergeSuggestions,
  undoCustomerMerge,
} from "~/models/customer-merge.server";
import { customerSidebar, searchCustomersToPick } from "~/models/customer-sidebar.server";
import { IntegrationWidgets } from "~/components/IntegrationWidgets";
import { sidebarWidgets } from "~/services/integrations/widgets.server";
import { requireInstalledShop } from "~/models/shop.server";
import { agentForRequest } from "~/services/agents.server";
import { saveCustomerNote } from "~/services/customer-notes.server";
import { authenticate } from "~/shopify.server";

const ParamsSchema = z.object({ customerId: z.uuid() });

const notFound = (what = "Customer") => new Response(`${what} not found`, { status: 404 });

/** The customer id from the URL, or a 404: a malformed id is just a customer that does not exist. */
function customerIdFrom(params: Record<string, string | undefined>): string {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data.customerId;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const customerId = customerIdFrom(params);
  const query = ProfileQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  // A compared profile or merge that is not a well-formed id is one that does not exist.
  if (!query.success) {
    const issue = query.error.issues[0]!;
    // A search nobody types (over 200 characters, a NUL byte) is refused with its reason.
    if (issue.path[0] === "mergeWith") throw new Response(issue.message, { status: 400 });
    throw notFound();
  }
  const { mergeWith, compare, merged } = query.data;

  const view = { shopDomain: shop.domain, shopTimeZone: shop.ianaTimezone };
  const sidebar = await customerSidebar(shop.workspaceId, customerId, view);
  if (!sidebar) throw notFound();
  const zone = shop.ianaTimezone;
  const when = (date: Date | null) => (date ? formatShopTime(date.toISOString(), zone) : null);

  const [merges, suggestions, results, preview, widgets] = await Promise.all([
    listCustomerMerges(shop.workspaceId, customerId),
    mergeSuggestions(shop.workspaceId, customerId),
    mergeWith ? searchCustomersToPick(shop.workspaceId, mergeWith, { excludeId: customerId }) : null,
    compare ? mergePreview(shop.workspaceId, customerId, compare) : null,
    sidebarWidgets(shop.workspaceId, customerId, { place: "customer", timeZone: zone }),
  ]);
  // Another workspace's profile (or this one) to compare with is not found, like any other id.
  if (compare && !preview) throw notFound();
  const justMerged = merged ? merges.find((merge) => merge.id === merged) : null;
  if (merged && !justMerged) throw notFound("Merge");

  const payload = {
    ...sidebar,
    widgets,
    tickets: sidebar.tickets.map((ticket) => ({
      id: ticket.id,
      number: ticket.number,
      subject: ticket.subject,
      statusLabel: ticket.statusLabel,
      channelLabel: ticket.channelLabel,
      lastMessage: when(ticket.lastMessageAt),
      url: ticket.url,
    })),
    merge: {
      days: MERGE_UNDO_DAYS,
      suggestions: suggestions.map((suggestion) => ({
        id: suggestion.id,
        label: suggestion.name ?? suggestion.emails[0] ?? formatPhone(suggestion.phones[0]) ?? "Unnamed customer",
        detail: suggestion.because,
      })),
      search: {
        q: mergeWith,
        results:
          results?.map((result) => ({
            id: result.id,
            label: result.label,
            detail: [result.email, result.phone].filter(Boolean).join(" · ") || "No email or phone",
          })) ?? null,
      },
      preview,
      history: merges.map((merge) => ({
        id: merge.id,
        mergedName: merge.mergedName,
        when: when(merge.createdAt),
        mergedBy: merge.mergedBy,
        undone: when(merge.undoneAt),
        undoableUntil: when(merge.undoableUntil),
        canUndo: merge.canUndo,
        whyNot: merge.whyNot,
      })),
      justMerged: justMerged && !justMerged.undoneAt ? mergedMessage(justMerged.mergedName, MERGE_UNDO_DAYS) : null,
    },
  };
  return payload;
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const { admin, session } = auth;
  const shop = await requireInstalledShop(session.shop, admin);
  const customerId = customerIdFrom(params);
  // Parsed before anything happens: a refused form reaches neither Shopify nor the database.
  const form = await readForm(request, ProfileActionSchema, "customer profile");
  if (!form.ok) {
    const invalid: NoteActionData & MergeActionData = { status: "invalid", errors: form.errors };
    return data(invalid, { status: form.status });
  }
  const input = form.data;
  if (input.intent === "save-note") {
    const { note, baseVersion, resolution } = input;
    const result = await saveCustomerNote(shop.workspaceId, customerId, { note, baseVersion, resolution });
    return result satisfies NoteActionData;
  }

  const agent = await agentForRequest(request, auth);
  try {
    if (input.intent === "merge") {
      const { mergeId } = await mergeCustomers(
        shop.workspaceId,
        { survivorId: customerId, mergedId: input.otherId, choices: choicesFromForm(input) },
        agent?.id ?? null,
      );
      // A new page without the compared profile (it no longer exists), confirming the merge.
      return redirect(`/app/customers/${customerId}?merged=${mergeId}`);
    }
    // An undo from this page is one of this profile's merges: another's id is not found here.
    const merges = await listCustomerMerges(shop.workspaceId, customerId);
    const merge = merges.find((candidate) => candidate.id === input.mergeId);
    if (!merge) throw notFound("Merge");
    await undoCustomerMerge(shop.workspaceId, merge.id, agent?.id ?? null);
    return { status: "undone", message: undoneMessage(merge.mergedName) } satisfies MergeActionData;
  } catch (error) {
    if (!(error instanceof CustomerMergeRefused)) throw error;
    if (error.status === 404) throw notFound();
    return data({ status: "refused", message: error.message } satisfies MergeActionData, { status: error.status });
  }
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
  const { customer, note, shops, tickets, merge, widgets } = useLoaderData<typeof loader>();
  const title = customer.name ?? customer.emails[0] ?? formatPhone(customer.phones[0]) ?? "Unnamed customer";
  return (
    // One title, the admin's title bar; the page draws only the back arrow to the list (decision 016).
    <Page backAction={{ content: "Customers", url: "/app/customers" }}>
      <TitleBar title={title} />
      <Layout>
        {merge.justMerged ? (
          <Layout.Section>
            <Banner tone="success" title="Customers merged">
              <p>{merge.justMerged}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {merge.preview ? (
          <Layout.Section>
            <MergeChooser
              key={merge.preview.other.id}
              self={merge.preview.self}
              other={merge.preview.other}
              refusal={merge.preview.refusal}
              days={merge.days}
              ticketsToMove={merge.preview.ticketsToMove}
            />
          </Layout.Section>
        ) : null}
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
            <PastTicketsCard tickets={tickets} />
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
                    {customer.phones.length > 0
                      ? customer.phones.map((phone) => formatPhone(phone)).join(", ")
                      : "None"}
                  </Field>
                  <Field label="Location">{customer.location ?? "Unknown"}</Field>
                  {customer.localTime ? <Field label="Local time">{customer.localTime}</Field> : null}
                  {customer.lastSeenOnChat ? (
                    <Field label="Last seen on chat">
                      <span title={customer.lastSeenOnChat.at ?? undefined} data-testid="last-seen-on-chat">
                        {customer.lastSeenOnChat.ago}
                      </span>
                    </Field>
                  ) : null}
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
            <IntegrationWidgets widgets={widgets} />
            <MergeCandidatesCard suggestions={merge.suggestions} search={merge.search} />
            <MergeHistoryCard merges={merge.history} days={merge.days} />
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

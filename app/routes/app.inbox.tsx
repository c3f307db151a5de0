import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  Box,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Page,
  Select,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { formatCount } from "~/components/formatting";
import { INBOX_SORT_LABELS, INBOX_SORTS, INBOX_VIEW_LABELS, INBOX_VIEWS, InboxQuerySchema } from "~/domain/inbox-query";
import {
  CHANNEL_LABELS,
  PRIORITY_LABELS,
  STATUS_LABELS,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
} from "~/domain/ticket-labels";
import { listAgents } from "~/models/agent.server";
import { inboxCounts, InboxCursorError, inboxTags, listInbox } from "~/models/inbox.server";
import { requireInstalledShop } from "~/models/shop.server";
import { agentForRequest } from "~/services/agents.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = await requireInstalledShop(auth.session.shop, auth.admin);
  const agent = await agentForRequest(request, auth);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const [counts, agents, tags] = await Promise.all([
    inboxCounts(shop.workspaceId, agent?.id ?? null),
    listAgents(shop.workspaceId),
    inboxTags(shop.workspaceId),
  ]);
  const query = InboxQuerySchema.safeParse(params);
  const context = {
    counts,
    agents,
    tags,
    me: agent,
    timeZone: shop.ianaTimezone,
    view: query.success ? query.data.view : ("open" as const),
  };
  const refuse = (error: string) =>
    data({ ...context, tickets: [], previous: null, next: null, error }, { status: 400 });
  if (!query.success) return refuse(query.error.issues[0]?.message ?? "Check the filters.");
  // An assignee filter names one of this workspace's agents (or nobody), never another's.
  if (query.data.assignee && query.data.assignee !== "none" && !agents.some(({ id }) => id === query.data.assignee)) {
    return refuse("Choose one of the agents.");
  }
  try {
    const page = await listInbox(shop.workspaceId, agent?.id ?? null, query.data);
    return { ...context, ...page, error: null };
  } catch (error) {
    if (error instanceof InboxCursorError) return refuse(error.message);
    throw error;
  }
};

const PRIORITY_TONE = { low: undefined, normal: undefined, high: "warning", urgent: "critical" } as const;

export default function Inbox() {
  const { counts, agents, tags, tickets, previous, next, error, me, timeZone, view } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/inbox";
  const [search, setSearch] = useState(params.get("q") ?? "");
  useEffect(() => setSearch(params.get("q") ?? ""), [params]);

  /** The list with `changes` applied to the current query, from its first page or at a cursor. */
  const go = (changes: Record<string, string | null>) => {
    const nextParams = new URLSearchParams(params);
    nextParams.delete("after");
    nextParams.delete("before");
    for (const [name, value] of Object.entries(changes)) {
      if (value) nextParams.set(name, value);
      else nextParams.delete(name);
    }
    navigate(`/app/inbox?${nextParams}`);
  };

  const tabs = INBOX_VIEWS.map((id) => ({
    id,
    content: `${INBOX_VIEW_LABELS[id]} ${formatCount(counts[id])}`,
    accessibilityLabel: `${INBOX_VIEW_LABELS[id]}: ${counts[id]} tickets`,
  }));
  const filtered = ["channel", "priority", "assignee", "tag", "q"].some((name) => params.get(name));
  const time = new Intl.DateTimeFormat("en", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: timeZone ?? undefined,
  });

  return (
    <Page fullWidth>
      <TitleBar title="Inbox" />
      <Card padding="0">
        <Tabs
          tabs={tabs}
          selected={INBOX_VIEWS.indexOf(view)}
          onSelect={(index) => go({ view: INBOX_VIEWS[index]! })}
        />
        <Box padding="300" borderBlockStartWidth="025" borderColor="border">
          <Form method="get" role="search">
            {[...params].map(([name, value]) =>
              ["q", "after", "before"].includes(name) ? null : (
                <input key={name} type="hidden" name={name} value={value} />
              ),
            )}
            <InlineStack gap="200" blockAlign="end" wrap>
              <div style={{ flex: "1 1 280px" }}>
                <TextField
                  label="Search tickets"
                  labelHidden
                  placeholder="Search subject, messages, customer name or email, order number"
                  name="q"
                  value={search}
                  onChange={setSearch}
                  autoComplete="off"
                  clearButton
                  onClearButtonClick={() => go({ q: null })}
                />
              </div>
              <Button submit loading={loading}>
                Search
              </Button>
              <Select
                label="Channel"
                labelInline
                options={[
                  { label: "Any", value: "" },
                  ...TICKET_CHANNELS.map((value) => ({ label: CHANNEL_LABELS[value], value })),
                ]}
                value={params.get("channel") ?? ""}
                onChange={(value) => go({ channel: value })}
              />
              <Select
                label="Priority"
                labelInline
                options={[
                  { label: "Any", value: "" },
                  ...TICKET_PRIORITIES.map((value) => ({ label: PRIORITY_LABELS[value], value })),
                ]}
                value={params.get("priority") ?? ""}
                onChange={(value) => go({ priority: value })}
              />
              <Select
                label="Assignee"
                labelInline
                options={[
                  { label: "Anyone", value: "" },
                  { label: "Nobody", value: "none" },
                  ...agents.map((agent) => ({
                    label: agent.id === me?.id ? `${agent.name} (you)` : agent.name,
                    value: agent.id,
                  })),
                ]}
                value={params.get("assignee") ?? ""}
                onChange={(value) => go({ assignee: value })}
              />
              {tags.length > 0 && (
                <Select
                  label="Tag"
                  labelInline
                  options={[{ label: "Any", value: "" }, ...tags.map((tag) => ({ label: tag, value: tag }))]}
                  value={params.get("tag") ?? ""}
                  onChange={(value) => go({ tag: value })}
                />
              )}
              <Select
                label="Sort"
                labelInline
                options={INBOX_SORTS.map((value) => ({ label: INBOX_SORT_LABELS[value], value }))}
                value={params.get("sort") ?? "last_message"}
                onChange={(value) => go({ sort: value === "last_message" ? null : value })}
              />
            </InlineStack>
          </Form>
        </Box>
        {error && (
          <Box padding="300">
            <Banner tone="critical" title="The inbox could not be shown this way">
              <p>{error}</p>
            </Banner>
          </Box>
        )}
        {tickets.length === 0 && !error ? (
          <EmptyState
            heading={
              filtered ? "No tickets match these filters" : `No ${INBOX_VIEW_LABELS[view].toLowerCase()} tickets`
            }
            action={
              filtered ? { content: "Clear filters", onAction: () => navigate(`/app/inbox?view=${view}`) } : undefined
            }
            image=""
          >
            <p>
              {filtered
                ? "Try fewer filters, or search for part of the subject, the customer's email or an order number."
                : "Tickets from every channel appear here as customers write in."}
            </p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "ticket", plural: "tickets" }}
            itemCount={tickets.length}
            selectable={false}
            loading={loading}
            headings={[
              { title: "Ticket" },
              { title: "Customer" },
              { title: "Channel" },
              { title: "Status" },
              { title: "Priority" },
              { title: "Assignee" },
              { title: `Last message${timeZone ? ` (${timeZone})` : ""}` },
            ]}
            pagination={{
              hasPrevious: Boolean(previous),
              hasNext: Boolean(next),
              onPrevious: () => previous && go({ before: previous }),
              onNext: () => next && go({ after: next }),
            }}
          >
            {tickets.map((ticket, index) => (
              <IndexTable.Row id={ticket.id} key={ticket.id} position={index}>
                <IndexTable.Cell>
                  <Text as="span" fontWeight="semibold">
                    #{ticket.number} {ticket.subject}
                  </Text>
                  {ticket.tags.length > 0 && (
                    <InlineStack gap="100">
                      {ticket.tags.map((tag) => (
                        <Badge key={tag} size="small">
                          {tag}
                        </Badge>
                      ))}
                    </InlineStack>
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {ticket.customer?.name ?? ticket.customer?.emails[0] ?? "No customer yet"}
                </IndexTable.Cell>
                <IndexTable.Cell>{CHANNEL_LABELS[ticket.channel]}</IndexTable.Cell>
                <IndexTable.Cell>
                  {ticket.status === "snoozed" && ticket.snoozedUntil
                    ? `Snoozed until ${time.format(new Date(ticket.snoozedUntil))}`
                    : STATUS_LABELS[ticket.status]}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={PRIORITY_TONE[ticket.priority]}>{PRIORITY_LABELS[ticket.priority]}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{ticket.assignee?.name ?? "Unassigned"}</IndexTable.Cell>
                <IndexTable.Cell>{time.format(new Date(ticket.lastMessageAt))}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}

import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  Link as RemixLink,
  useFetcher,
  useLoaderData,
  useNavigate,
  useNavigation,
  useRevalidator,
  useSearchParams,
} from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
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
  useIndexResourceState,
} from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { formatCount, formatShopTime } from "~/components/formatting";
import { throttle, useLiveUpdates } from "~/components/live-updates";
import { readForm } from "~/lib/form-data.server";
import { INBOX_SORT_LABELS, INBOX_SORTS, INBOX_VIEW_LABELS, INBOX_VIEWS, InboxQuerySchema } from "~/domain/inbox-query";
import {
  CHANNEL_LABELS,
  PRIORITY_LABELS,
  STATUS_LABELS,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
} from "~/domain/ticket-labels";
import { listAgents } from "~/models/agent.server";
import { inboxTallies } from "~/models/inbox-tally.server";
import { InboxCursorError, listInbox } from "~/models/inbox.server";
import { requireInstalledShop } from "~/models/shop.server";
import { agentForRequest } from "~/services/agents.server";
import { BulkActionSchema, bulkUpdateTickets } from "~/services/tickets/bulk.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = await requireInstalledShop(auth.session.shop, auth.admin);
  const agent = await agentForRequest(request, auth);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const query = InboxQuerySchema.safeParse(params);
  // The list is read alongside the counts and agents (one round of queries, not two): it is
  // scoped by workspace, so a filter naming another workspace's agent finds nothing before it is
  // refused below.
  const listing = query.success
    ? listInbox(shop.workspaceId, agent?.id ?? null, query.data).catch((error: unknown) => {
        if (error instanceof InboxCursorError) return error;
        throw error;
      })
    : null;
  const [{ counts, tags }, agents, page] = await Promise.all([
    inboxTallies(shop.workspaceId, agent?.id ?? null),
    listAgents(shop.workspaceId),
    listing,
  ]);
  const context = {
    counts,
    agents,
    tags,
    me: agent,
    view: query.success ? query.data.view : ("open" as const),
  };
  const refuse = (error: string) =>
    data({ ...context, tickets: [], previous: null, next: null, error }, { status: 400 });
  if (!query.success) return refuse(query.error.issues[0]?.message ?? "Check the filters.");
  // An assignee filter names one of this workspace's agents (or nobody), never another's.
  if (query.data.assignee && query.data.assignee !== "none" && !agents.some(({ id }) => id === query.data.assignee)) {
    return refuse("Choose one of the agents.");
  }
  if (!page || page instanceof InboxCursorError) return refuse((page ?? new InboxCursorError()).message);
  // Times are words made here, once: the browser's Intl can format the same instant differently
  // (another ICU version), which would break hydration.
  const tickets = page.tickets.map((ticket) => ({
    ...ticket,
    lastMessageLabel: formatShopTime(ticket.lastMessageAt.toISOString(), shop.ianaTimezone),
    snoozedUntilLabel: formatShopTime(ticket.snoozedUntil?.toISOString() ?? null, shop.ianaTimezone),
  }));
  return { ...context, ...page, tickets, error: null };
};

export type InboxActionData =
  { ok: true; changed: number; refused: string[]; error?: undefined } | { ok: false; error: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = await requireInstalledShop(auth.session.shop, auth.admin);
  const agent = await agentForRequest(request, auth);
  const form = await readForm(request, BulkActionSchema, "inbox action");
  const refuse = (status: number, error: string) => data<InboxActionData>({ ok: false, error }, { status });
  if (!form.ok) return refuse(form.status, Object.values(form.errors).flat()[0] ?? "Check the selection.");
  const bulkAction = form.data;
  if (bulkAction.intent === "bulk-assign" && bulkAction.agentId) {
    const agents = await listAgents(shop.workspaceId);
    if (!agents.some(({ id }) => id === bulkAction.agentId)) return refuse(400, "Choose one of the agents.");
  }
  const result = await bulkUpdateTickets(shop.workspaceId, bulkAction, agent?.id ?? null);
  if (!result) {
    return refuse(404, "Some of these tickets do not exist or belong to another workspace; reload the inbox.");
  }
  return data<InboxActionData>({ ok: true, ...result });
};

const PRIORITY_TONE = { low: undefined, normal: undefined, high: "warning", urgent: "critical" } as const;

export default function Inbox() {
  const { counts, agents, tags, tickets, previous, next, error, me, view } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/inbox";
  const [search, setSearch] = useState(params.get("q") ?? "");
  useEffect(() => setSearch(params.get("q") ?? ""), [params]);
  const revalidator = useRevalidator();
  // New and changed tickets appear without a reload (at most one reload a second in a busy hour).
  const reload = useMemo(() => throttle(() => revalidator.revalidate(), 1000), [revalidator]);
  useLiveUpdates({ onChange: reload });
  const bulk = useFetcher<InboxActionData>();
  const shopify = useAppBridge();
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(
    tickets as unknown as { id: string }[],
  );
  const [assignTo, setAssignTo] = useState("");
  const [bulkTag, setBulkTag] = useState("");
  const answered = useRef<unknown>(null);
  useEffect(() => {
    const answer = bulk.data;
    if (bulk.state !== "idle" || !answer || answered.current === answer) return;
    answered.current = answer;
    if (answer.ok) {
      shopify.toast.show(
        `${answer.changed} ${answer.changed === 1 ? "ticket" : "tickets"} updated` +
          (answer.refused.length > 0 ? `; ${answer.refused.length} not changed` : ""),
        { isError: answer.refused.length > 0 && answer.changed === 0 },
      );
      clearSelection();
    }
  }, [bulk.state, bulk.data, shopify, clearSelection]);
  const selectedIds = allResourcesSelected ? tickets.map(({ id }) => id) : selectedResources;
  const runBulk = (fields: Record<string, string>) =>
    bulk.submit({ ...fields, ids: selectedIds.join(",") }, { method: "post", action: `/app/inbox?${params}` });

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
    accessibilityLabel: `${INBOX_VIEW_LABELS[id]}: ${formatCount(counts[id])} tickets`,
  }));
  const filtered = ["channel", "priority", "assignee", "tag", "q"].some((name) => params.get(name));

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
        {bulk.data && !bulk.data.ok && bulk.state === "idle" && (
          <Box padding="300">
            <Banner tone="critical" title="The selected tickets were not changed">
              <p>{bulk.data.error}</p>
            </Banner>
          </Box>
        )}
        {bulk.data?.ok && bulk.data.refused.length > 0 && bulk.state === "idle" && (
          <Box padding="300">
            <Banner tone="warning" title="Some tickets were not changed">
              <BlockStack gap="100">
                {bulk.data.refused.slice(0, 5).map((line) => (
                  <p key={line}>{line}</p>
                ))}
              </BlockStack>
            </Banner>
          </Box>
        )}
        {selectedIds.length > 0 && (
          <Box padding="300" background="bg-surface-secondary" borderBlockStartWidth="025" borderColor="border">
            <InlineStack gap="200" blockAlign="end" wrap>
              <Text as="span" fontWeight="semibold">
                {selectedIds.length} selected
              </Text>
              <Button onClick={() => runBulk({ intent: "bulk-close" })} loading={bulk.state !== "idle"}>
                Close
              </Button>
              <Button onClick={() => runBulk({ intent: "bulk-reopen" })} disabled={bulk.state !== "idle"}>
                Reopen
              </Button>
              <Select
                label="Assign to"
                labelInline
                options={[
                  { label: "Choose…", value: "" },
                  { label: "Nobody", value: "none" },
                  ...agents.map((agent) => ({
                    label: agent.id === me?.id ? `${agent.name} (you)` : agent.name,
                    value: agent.id,
                  })),
                ]}
                value={assignTo}
                onChange={(value) => {
                  setAssignTo("");
                  if (value) runBulk({ intent: "bulk-assign", agentId: value === "none" ? "" : value });
                }}
              />
              <div style={{ width: 220 }}>
                <TextField
                  label="Add tag"
                  labelHidden
                  placeholder="Add a tag"
                  value={bulkTag}
                  onChange={setBulkTag}
                  autoComplete="off"
                  connectedRight={
                    <Button
                      disabled={bulkTag.trim().length === 0 || bulk.state !== "idle"}
                      onClick={() => {
                        runBulk({ intent: "bulk-tag", tag: bulkTag });
                        setBulkTag("");
                      }}
                    >
                      Add tag
                    </Button>
                  }
                />
              </div>
            </InlineStack>
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
            selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
            onSelectionChange={handleSelectionChange}
            loading={loading}
            headings={[
              { title: "Ticket" },
              { title: "Customer" },
              { title: "Channel" },
              { title: "Status" },
              { title: "Priority" },
              { title: "Assignee" },
              { title: "Last message" },
            ]}
            pagination={{
              hasPrevious: Boolean(previous),
              hasNext: Boolean(next),
              onPrevious: () => previous && go({ before: previous }),
              onNext: () => next && go({ after: next }),
            }}
          >
            {tickets.map((ticket, index) => (
              <IndexTable.Row
                id={ticket.id}
                key={ticket.id}
                position={index}
                selected={selectedResources.includes(ticket.id)}
                onClick={() => navigate(`/app/tickets/${ticket.id}`)}
              >
                <IndexTable.Cell>
                  {/* The row opens the ticket too; the link is there for keyboards and new tabs. */}
                  <RemixLink
                    to={`/app/tickets/${ticket.id}`}
                    onClick={(event) => event.stopPropagation()}
                    style={{ color: "inherit", textDecoration: "none" }}
                  >
                    <Text as="span" fontWeight="semibold">
                      #{ticket.number} {ticket.subject}
                    </Text>
                  </RemixLink>
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
                    ? `Snoozed until ${ticket.snoozedUntilLabel}`
                    : STATUS_LABELS[ticket.status]}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={PRIORITY_TONE[ticket.priority]}>{PRIORITY_LABELS[ticket.priority]}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{ticket.assignee?.name ?? "Unassigned"}</IndexTable.Cell>
                <IndexTable.Cell>{ticket.lastMessageLabel}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}

import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Collapsible,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  List,
  Page,
  Text,
} from "@shopify/polaris";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { formatCount, formatShopDate, formatShopTime } from "~/components/formatting";
import { shouldPoll, syncStatusBadge } from "~/components/sync-progress";
import { SyncProgressCard, type SyncProgressView } from "~/components/SyncProgressCard";
import { SyncCommandSchema } from "~/components/sync-command";
import { PortalUsageCard, type PortalUsageView } from "~/components/PortalUsageCard";
import { PRIORITY_LABELS } from "~/domain/ticket-labels";
import { WEBHOOK_STATUS_WORDS, webhookTopicLabel } from "~/domain/webhook-topics";
import { readForm } from "~/lib/form-data.server";
import { getAgentHome, type AgentHomeList } from "~/models/agent-home.server";
import { getShopOverview } from "~/models/overview.server";
import { getPortalUsage } from "~/models/portal-usage.server";
import { requireInstalledShop } from "~/models/shop.server";
import { getSyncProgress } from "~/models/sync-state.server";
import { requestBackfill, requestReconcile } from "~/services/sync/commands.server";
import { adminForShop } from "~/services/shopify/admin-graphql.server";
import { agentForRequest } from "~/services/agents.server";
import { shopDetailsOrStored } from "~/services/shopify/shop-details.server";
import { authenticate } from "~/shopify.server";
import { IntegrationsPausedBanner } from "~/components/IntegrationsPausedBanner";
import { pausedBannerText, pausedIntegrations } from "~/services/integrations/alerts.server";

/** How often the page refreshes while the import runs (and while a requested check is pending). */
const POLL_MS = 4000;
/** A check-now that never reports back stops the polling after this many refreshes. */
const MAX_CHECK_POLLS = 30;

/** A ticket row as the home page lists it: words and times ready to show. */
function ticketRows(list: AgentHomeList, zone: string | null) {
  return {
    total: list.total,
    tickets: list.tickets.map((ticket) => ({
      id: ticket.id,
      number: ticket.number,
      subject: ticket.subject,
      customer: ticket.customer?.name ?? ticket.customer?.emails[0] ?? null,
      assignee: ticket.assignee?.name ?? null,
      priority: ticket.priority,
      lastMessageAt: formatShopTime(ticket.lastMessageAt.toISOString(), zone),
      wakesAt: formatShopTime(ticket.snoozedUntil?.toISOString() ?? null, zone),
    })),
  };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const { admin, session } = auth;
  const shopAdmin = adminForShop(session.shop, admin);
  const installed = await requireInstalledShop(session.shop, shopAdmin);
  // While Shopify can't be reached the page still shows everything it holds, from our database.
  const [{ details: shop, live }, overview, sync, agent, usage] = await Promise.all([
    shopDetailsOrStored(shopAdmin, installed),
    getShopOverview(session.shop),
    getSyncProgress(installed.id),
    agentForRequest(request, auth),
    getPortalUsage(installed.id, { timeZone: installed.ianaTimezone }),
  ]);
  const [home, paused] = await Promise.all([
    getAgentHome(installed.workspaceId, agent?.id ?? null),
    pausedIntegrations(installed.workspaceId),
  ]);
  const zone = shop.ianaTimezone;
  const at = (date: Date | null) => formatShopTime(date?.toISOString() ?? null, zone);
  const syncView: SyncProgressView = {
    status: sync.status,
    phase: sync.phase,
    customers: sync.customers,
    orders: sync.orders,
    details: sync.details,
    tracking: sync.tracking,
    startedAt: at(sync.startedAt),
    completedAt: at(sync.completedAt),
    error: sync.error,
    lastReconciledAt: at(sync.lastReconciledAt),
  };
  const portalUsage: PortalUsageView = {
    everUsed: usage.everUsed,
    // The days the figures were counted in: the stored zone getPortalUsage used.
    periodLabel: [usage.period.from, usage.period.to]
      .map((date) => formatShopDate(date.toISOString(), installed.ianaTimezone))
      .join(" – "),
    days: usage.period.days,
    sessions: usage.sessions,
    billableSessions: usage.billableSessions,
    deflectedSessions: usage.deflectedSessions,
    deflectionRate: usage.deflectionRate,
    tracks: usage.tracks,
    requests: usage.requests,
  };
  return {
    agent,
    integrationsPaused: pausedBannerText(paused),
    portalUsage,
    tickets: {
      mine: home.mine ? ticketRows(home.mine, zone) : null,
      unassigned: ticketRows(home.unassigned, zone),
      waking: ticketRows(home.waking, zone),
      urgent: ticketRows(home.urgent, zone),
    },
    shop,
    shopifyReachable: live,
    overview,
    lastUpdateFrom: overview.webhooks.lastTopic ? webhookTopicLabel(overview.webhooks.lastTopic) : null,
    sync: syncView,
    // Raw, for "has the requested check finished yet": compared, never shown.
    lastReconciledIso: sync.lastReconciledAt?.toISOString() ?? null,
    heldSynced: { orders: sync.heldOrders, customers: sync.heldCustomers },
    installedAt: formatShopTime(overview.installedAt, zone),
    lastWebhookAt: formatShopTime(overview.webhooks.lastReceivedAt, zone),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  await requireInstalledShop(session.shop, admin);
  const command = await readForm(request, SyncCommandSchema, "command");
  if (!command.ok) return data({ ok: false as const, errors: command.errors }, { status: command.status });
  if (command.data.intent === "retry-import") await requestBackfill(session.shop);
  else await requestReconcile(session.shop);
  return { ok: true as const, intent: command.data.intent };
};

/**
 * Refreshes the page's data every few seconds while `active`, so progress bars move without a
 * reload. Skips a beat when a refresh is still running or the tab is hidden.
 */
function usePolling(active: boolean) {
  const revalidator = useRevalidator();
  const revalidatorRef = useRef(revalidator);
  revalidatorRef.current = revalidator;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      const current = revalidatorRef.current;
      if (current.state === "idle" && document.visibilityState === "visible") current.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [active]);
}

function Stat({ label, help, value, tone }: { label: string; help: string; value: number; tone?: "critical" }) {
  return (
    <BlockStack gap="100">
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="span" variant="headingLg" tone={tone && value > 0 ? tone : undefined}>
        {formatCount(value)}
      </Text>
      <Text as="span" variant="bodySm" tone="subdued">
        {help}
      </Text>
    </BlockStack>
  );
}

type TicketList = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["tickets"]["mine"]>;
type TicketRow = TicketList["tickets"][number];

const PRIORITY_TONE = { low: undefined, normal: undefined, high: "warning", urgent: "critical" } as const;

/** One ticket: number and subject linking to the ticket page, who it is from and when. */
function TicketLine({ ticket, detail }: { ticket: TicketRow; detail: string | null }) {
  return (
    <Box paddingBlock="200" borderBlockStartWidth="025" borderColor="border">
      <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
        <BlockStack gap="050">
          <Link url={`/app/tickets/${ticket.id}`} removeUnderline>
            <Text as="span" fontWeight="semibold">
              #{ticket.number} {ticket.subject}
            </Text>
          </Link>
          <Text as="span" variant="bodySm" tone="subdued">
            {[ticket.customer ?? "No customer yet", detail].filter(Boolean).join(" · ")}
          </Text>
        </BlockStack>
        {(ticket.priority === "high" || ticket.priority === "urgent") && (
          <Badge tone={PRIORITY_TONE[ticket.priority]}>{PRIORITY_LABELS[ticket.priority]}</Badge>
        )}
      </InlineStack>
    </Box>
  );
}

interface TicketCardProps {
  title: string;
  list: TicketList;
  /** The inbox view that holds the whole list. */
  inboxUrl: string;
  empty: ReactNode;
  detail?: (ticket: TicketRow) => string | null;
}

function TicketCard({ title, list, inboxUrl, empty, detail }: TicketCardProps) {
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {title}
            </Text>
            <Badge tone={list.total > 0 ? "attention" : undefined}>{formatCount(list.total)}</Badge>
          </InlineStack>
        </InlineStack>
        {list.tickets.length === 0 ? (
          empty
        ) : (
          <BlockStack>
            {list.tickets.map((ticket) => (
              <TicketLine
                key={ticket.id}
                ticket={ticket}
                detail={detail ? detail(ticket) : ticket.lastMessageAt && `Last message ${ticket.lastMessageAt}`}
              />
            ))}
            <Box paddingBlockStart="200" borderBlockStartWidth="025" borderColor="border">
              <Link url={inboxUrl}>
                {list.total > list.tickets.length
                  ? `See all ${formatCount(list.total)} in the inbox`
                  : "Open in the inbox"}
              </Link>
            </Box>
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const {
    agent,
    integrationsPaused,
    portalUsage,
    tickets,
    shop,
    shopifyReachable,
    overview,
    lastUpdateFrom,
    sync,
    lastReconciledIso,
    heldSynced,
    installedAt,
    lastWebhookAt,
  } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const { webhooks, held, workspace } = overview;

  const command = useFetcher<typeof action>({ key: "sync-command" });
  const pending =
    command.state === "idle" ? null : (command.formData?.get("intent") as "retry-import" | "check-now" | null);
  // After "check now", keep refreshing until the reconcile stamps a newer time (or we give up).
  const checkSince = useRef<string | null>(null);
  const [checkFrom, setCheckFrom] = useState<{ since: string | null; polls: number } | null>(null);
  useEffect(() => {
    if (command.state === "idle" && command.data?.ok && command.data.intent === "check-now") {
      setCheckFrom((previous) => previous ?? { since: checkSince.current, polls: 0 });
    }
  }, [command.state, command.data]);
  useEffect(() => {
    setCheckFrom((previous) => {
      if (!previous) return previous;
      if (lastReconciledIso !== previous.since || previous.polls >= MAX_CHECK_POLLS) return null;
      return { ...previous, polls: previous.polls + 1 };
    });
  }, [lastReconciledIso, sync]);
  usePolling(shouldPoll(sync.status) || checkFrom !== null);

  const submit = (intent: "retry-import" | "check-now") => {
    // The reconcile time as it was before asking: any other value later means the check ran.
    checkSince.current = lastReconciledIso;
    setCheckFrom(null);
    command.submit({ intent }, { method: "post" });
  };

  // System status stays folded away unless something in it needs the merchant (or an import is
  // under way, which a new merchant wants to watch).
  const syncBadge = syncStatusBadge(sync.status, sync.phase);
  const systemNeedsLook =
    !shopifyReachable ||
    overview.missingScopes.length > 0 ||
    webhooks.failed > 0 ||
    sync.status === "failed" ||
    shouldPoll(sync.status);
  const [statusOpen, setStatusOpen] = useState(systemNeedsLook);
  const systemHealthy = shopifyReachable && webhooks.failed === 0 && sync.status !== "failed";

  return (
    <Page>
      <TitleBar title="Shopdesk" />
      <BlockStack gap="500">
        <IntegrationsPausedBanner text={integrationsPaused} />
        {!shopifyReachable && (
          <Banner
            tone="warning"
            title="Shopify can't be reached right now"
            action={{
              content: "Retry",
              onAction: () => revalidator.revalidate(),
              loading: revalidator.state === "loading",
            }}
          >
            <p>
              Showing what Shopdesk last saved for your store. Changes made in Shopify meanwhile will appear once it
              answers again; nothing is lost.
            </p>
          </Banner>
        )}
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
            <BlockStack gap="400">
              {tickets.mine ? (
                <TicketCard
                  title="Your open tickets"
                  list={tickets.mine}
                  inboxUrl="/app/inbox?view=mine"
                  empty={
                    <Text as="p" tone="subdued">
                      No open tickets assigned to you.{" "}
                      <Link url="/app/inbox?view=unassigned">Pick one from the inbox</Link>
                    </Text>
                  }
                />
              ) : (
                <Card>
                  <BlockStack gap="200">
                    <Text as="h2" variant="headingMd">
                      Your open tickets
                    </Text>
                    <Text as="p" tone="subdued">
                      Shopify could not tell Shopdesk who you are just now, so your tickets can&apos;t be shown. Reload
                      the page in a moment, or <Link url="/app/inbox">open the inbox</Link>.
                    </Text>
                  </BlockStack>
                </Card>
              )}
              <TicketCard
                title="Unassigned"
                list={tickets.unassigned}
                inboxUrl="/app/inbox?view=unassigned"
                empty={
                  <Text as="p" tone="subdued">
                    Every open ticket has someone on it.
                  </Text>
                }
              />
              <PortalUsageCard usage={portalUsage} />
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Needs attention
                  </Text>
                  {tickets.waking.total === 0 && tickets.urgent.total === 0 ? (
                    <Text as="p" tone="subdued">
                      Nothing urgent, and no snoozed ticket wakes up in the next 24 hours.
                    </Text>
                  ) : (
                    <BlockStack gap="400">
                      {tickets.urgent.total > 0 && (
                        <AttentionList
                          heading={`Urgent and high priority (${formatCount(tickets.urgent.total)})`}
                          list={tickets.urgent}
                          inboxUrl="/app/inbox?view=open&sort=priority"
                          detail={(ticket) => (ticket.assignee ? `With ${ticket.assignee}` : "Unassigned")}
                        />
                      )}
                      {tickets.waking.total > 0 && (
                        <AttentionList
                          heading={`Waking up within 24 hours (${formatCount(tickets.waking.total)})`}
                          list={tickets.waking}
                          inboxUrl="/app/inbox?view=snoozed"
                          detail={(ticket) => ticket.wakesAt && `Wakes ${ticket.wakesAt}`}
                        />
                      )}
                    </BlockStack>
                  )}
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <Card>
              <BlockStack gap="300">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h2" variant="headingLg">
                    {shop.name}
                  </Text>
                  {shop.plan.displayName && (
                    <Badge tone={shop.plan.shopifyPlus ? "info" : undefined}>{shop.plan.displayName}</Badge>
                  )}
                  {shop.plan.partnerDevelopment && !/development/i.test(shop.plan.displayName) && (
                    <Badge>Development store</Badge>
                  )}
                </InlineStack>
                <Text as="p" tone="subdued">
                  {[shop.myshopifyDomain, shop.currencyCode, shop.ianaTimezone].filter(Boolean).join(" · ")}
                </Text>
                {agent && (
                  <Text as="p">
                    <span data-testid="signed-in-agent">
                      Signed in as <strong>{agent.name}</strong> ({agent.email})
                    </span>
                  </Text>
                )}
                <Text as="p">
                  Workspace <strong>{workspace.name}</strong> serves{" "}
                  {workspace.shops.length === 1 ? "this store" : `${workspace.shops.length} stores`}.
                </Text>
                {workspace.shops.length > 1 && (
                  <List type="bullet">
                    {workspace.shops.map((member) => (
                      <List.Item key={member.domain}>{member.name ?? member.domain}</List.Item>
                    ))}
                  </List>
                )}
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section>
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="200">
                  <InlineStack align="space-between" blockAlign="center">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="h2" variant="headingMd">
                        System status
                      </Text>
                      <Badge tone={systemHealthy ? "success" : "critical"}>
                        {systemHealthy ? "Working" : "Needs attention"}
                      </Badge>
                    </InlineStack>
                    <Button
                      variant="plain"
                      disclosure={statusOpen ? "up" : "down"}
                      ariaExpanded={statusOpen}
                      ariaControls="system-status"
                      onClick={() => setStatusOpen((open) => !open)}
                    >
                      {statusOpen ? "Hide details" : "Show details"}
                    </Button>
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    Sync with Shopify: {syncBadge.label}.{" "}
                    {lastWebhookAt
                      ? `Last update from Shopify: ${lastUpdateFrom ?? "a store change"}, ${lastWebhookAt}.`
                      : "No updates from Shopify yet; they arrive as your store changes."}
                  </Text>
                </BlockStack>
              </Card>
              <Collapsible id="system-status" open={statusOpen}>
                <BlockStack gap="400">
                  <Card>
                    <BlockStack gap="400">
                      <InlineStack align="space-between" blockAlign="center">
                        <Text as="h3" variant="headingMd">
                          Updates from Shopify
                        </Text>
                        <Link url="/app/activity">See each update</Link>
                      </InlineStack>
                      <Text as="p" tone="subdued">
                        Shopify tells Shopdesk each time an order, shipment, refund or customer changes in your store.
                      </Text>
                      <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
                        <Stat
                          label={WEBHOOK_STATUS_WORDS.processed.label}
                          help={WEBHOOK_STATUS_WORDS.processed.explanation}
                          value={webhooks.processed}
                        />
                        <Stat
                          label={WEBHOOK_STATUS_WORDS.skipped.label}
                          help={WEBHOOK_STATUS_WORDS.skipped.explanation}
                          value={webhooks.skipped}
                        />
                        <Stat
                          label={WEBHOOK_STATUS_WORDS.received.label}
                          help={WEBHOOK_STATUS_WORDS.received.explanation}
                          value={webhooks.received}
                        />
                        <Stat
                          label={WEBHOOK_STATUS_WORDS.failed.label}
                          help={WEBHOOK_STATUS_WORDS.failed.explanation}
                          value={webhooks.failed}
                          tone="critical"
                        />
                      </InlineGrid>
                    </BlockStack>
                  </Card>
                  <SyncProgressCard
                    progress={sync}
                    pending={pending}
                    checkRequested={checkFrom !== null}
                    onRetryImport={() => submit("retry-import")}
                    onCheckNow={() => submit("check-now")}
                  />
                  <Card>
                    <BlockStack gap="300">
                      <Text as="h3" variant="headingMd">
                        Data Shopdesk holds for this store
                      </Text>
                      <Text as="p" tone="subdued">
                        Installed {installedAt}.
                      </Text>
                      <DataTable
                        columnContentTypes={["text", "numeric"]}
                        headings={["Kind", "Count"]}
                        rows={[
                          ["Orders synced from Shopify", formatCount(heldSynced.orders)],
                          ["Customers synced from Shopify", formatCount(heldSynced.customers)],
                          ["Updates received from Shopify", formatCount(held.webhookEvents)],
                          ["Privacy requests handled", formatCount(held.complianceRequests)],
                          ["Sign-in sessions", formatCount(held.sessions)],
                        ]}
                      />
                    </BlockStack>
                  </Card>
                </BlockStack>
              </Collapsible>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

/** A titled part of "Needs attention", with a link to the whole list. */
function AttentionList({
  heading,
  list,
  inboxUrl,
  detail,
}: {
  heading: string;
  list: TicketList;
  inboxUrl: string;
  detail: (ticket: TicketRow) => string | null;
}) {
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {heading}
        </Text>
        <Link url={inboxUrl}>Open in the inbox</Link>
      </InlineStack>
      <BlockStack>
        {list.tickets.map((ticket) => (
          <TicketLine key={ticket.id} ticket={ticket} detail={detail(ticket)} />
        ))}
      </BlockStack>
    </BlockStack>
  );
}

import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData, useRevalidator, useRouteLoaderData } from "@remix-run/react";
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
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { formatCount, formatShopTime } from "~/components/formatting";
import { shouldPoll } from "~/components/sync-progress";
import { SyncProgressCard, type SyncProgressView } from "~/components/SyncProgressCard";
import { readForm } from "~/lib/form-data.server";
import { getShopOverview } from "~/models/overview.server";
import { requireInstalledShop } from "~/models/shop.server";
import { getSyncProgress } from "~/models/sync-state.server";
import { requestBackfill, requestReconcile } from "~/services/sync/commands.server";
import { adminForShop } from "~/services/shopify/admin-graphql.server";
import { shopDetailsOrStored } from "~/services/shopify/shop-details.server";
import { authenticate } from "~/shopify.server";
import type { loader as appLoader } from "./app";

/** How often the page refreshes while the import runs (and while a requested check is pending). */
const POLL_MS = 4000;
/** A check-now that never reports back stops the polling after this many refreshes. */
const MAX_CHECK_POLLS = 30;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shopAdmin = adminForShop(session.shop, admin);
  const installed = await requireInstalledShop(session.shop, shopAdmin);
  // While Shopify can't be reached the page still shows everything it holds, from our database.
  const [{ details: shop, live }, overview, sync] = await Promise.all([
    shopDetailsOrStored(shopAdmin, installed),
    getShopOverview(session.shop),
    getSyncProgress(installed.id),
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
  return {
    shop,
    shopifyReachable: live,
    overview,
    sync: syncView,
    // Raw, for "has the requested check finished yet": compared, never shown.
    lastReconciledIso: sync.lastReconciledAt?.toISOString() ?? null,
    heldSynced: { orders: sync.heldOrders, customers: sync.heldCustomers },
    installedAt: formatShopTime(overview.installedAt, zone),
    lastWebhookAt: formatShopTime(overview.webhooks.lastReceivedAt, zone),
  };
};

export const SyncCommandSchema = z.object({
  intent: z.enum(["retry-import", "check-now"], { error: "Unknown sync command" }),
});

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
  const { shop, shopifyReachable, overview, sync, lastReconciledIso, heldSynced, installedAt, lastWebhookAt } =
    useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const { webhooks, held, workspace } = overview;
  // The agent using the app, from the embedded layout (routes/app.tsx).
  const agent = useRouteLoaderData<typeof appLoader>("routes/app")?.agent ?? null;

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

  return (
    <Page>
      <TitleBar title="Shopdesk" />
      <BlockStack gap="500">
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
            <Card>
              <BlockStack gap="300">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h1" variant="headingXl">
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
            <SyncProgressCard
              progress={sync}
              pending={pending}
              checkRequested={checkFrom !== null}
              onRetryImport={() => submit("retry-import")}
              onCheckNow={() => submit("check-now")}
            />
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
                    ["Orders synced from Shopify", formatCount(heldSynced.orders)],
                    ["Customers synced from Shopify", formatCount(heldSynced.customers)],
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

import { Badge, Banner, BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useId } from "react";
import {
  importSummary,
  progressPercent,
  progressText,
  syncStatusBadge,
  type Counter,
  type SyncPhase,
  type SyncStatus,
  type TrackingCounts,
} from "./sync-progress";

/** The import as the home loader serialises it: dates already formatted in the shop's timezone. */
export interface SyncProgressView {
  status: SyncStatus;
  phase: SyncPhase;
  customers: Counter;
  orders: Counter;
  /** Line items, fulfillments and refunds of large orders, fetched after the orders themselves. */
  details?: Counter;
  /** Orders with their carrier events, overall and recent (counted from the orders). */
  tracking?: TrackingCounts;
  startedAt: string | null;
  completedAt: string | null;
  error: string | null;
  lastReconciledAt: string | null;
}

export interface SyncProgressCardProps {
  progress: SyncProgressView;
  /** Which button's request is on its way, if any. */
  pending: "retry-import" | "check-now" | null;
  /** Set once a "check now" was accepted: the check runs in the background. */
  checkRequested: boolean;
  onRetryImport(): void;
  onCheckNow(): void;
}

const NOUNS = {
  customers: { singular: "customer", plural: "customers" },
  orders: { singular: "order", plural: "orders" },
  details: { singular: "order", plural: "orders" },
};

interface BarProps {
  title: string;
  noun: { singular: string; plural: string };
  counter: Counter;
  done: boolean;
  active: boolean;
}

function Bar({ title, noun, counter, done, active }: BarProps) {
  const id = useId();
  const percent = progressPercent(counter, done);
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="span" id={id} fontWeight="semibold">
          {title}
        </Text>
        <Text as="span" tone="subdued">
          {progressText(counter, noun)}
        </Text>
      </InlineStack>
      <ProgressBar
        progress={percent}
        size="small"
        tone={done ? "success" : "highlight"}
        animated={active}
        ariaLabelledBy={id}
      />
    </BlockStack>
  );
}

const PHASES = ["customers", "orders", "details"] as const;

export function SyncProgressCard({
  progress,
  pending,
  checkRequested,
  onRetryImport,
  onCheckNow,
}: SyncProgressCardProps) {
  const badge = syncStatusBadge(progress.status, progress.phase);
  const completed = progress.status === "completed";
  // Phases run in order, so everything before the current one is done.
  const current = progress.phase ? PHASES.indexOf(progress.phase) : -1;
  const phaseDone = (phase: (typeof PHASES)[number]) =>
    completed || (progress.status === "running" && current > PHASES.indexOf(phase));
  const phaseActive = (phase: (typeof PHASES)[number]) => progress.status === "running" && progress.phase === phase;
  const summary = progress.tracking
    ? importSummary({
        status: progress.status,
        phase: progress.phase,
        orders: progress.orders,
        tracking: progress.tracking,
      })
    : null;
  // Carrier events of every order: counted from the orders, so orders opened on demand count too.
  const trackingCounter: Counter | undefined = progress.tracking
    ? { synced: progress.tracking.total - progress.tracking.pending, total: progress.tracking.total }
    : progress.details;
  const showDetails = trackingCounter && (progress.phase === "details" || progress.details?.total != null);

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Orders and customers
          </Text>
          <Badge
            tone={badge.tone}
            progress={completed ? "complete" : progress.status === "running" ? "partiallyComplete" : "incomplete"}
          >
            {badge.label}
          </Badge>
        </InlineStack>

        {progress.status === "pending" && (
          <Text as="p" tone="subdued">
            Shopdesk will import this store&apos;s customers, then its orders. It starts in a moment.
          </Text>
        )}

        <BlockStack gap="300">
          <Bar
            title="Customers"
            noun={NOUNS.customers}
            counter={progress.customers}
            done={phaseDone("customers")}
            active={phaseActive("customers")}
          />
          <Bar
            title="Orders"
            noun={NOUNS.orders}
            counter={progress.orders}
            done={phaseDone("orders")}
            active={phaseActive("orders")}
          />
          {showDetails && trackingCounter && (
            <Bar
              title="Tracking details"
              noun={NOUNS.details}
              counter={trackingCounter}
              done={phaseDone("details")}
              active={phaseActive("details")}
            />
          )}
        </BlockStack>

        {summary && (
          <BlockStack gap="100">
            <Text as="p" fontWeight="semibold">
              {summary.orders}
            </Text>
            <Text as="p">{summary.tracking}</Text>
            {summary.onDemand && (
              <Text as="p" tone="subdued">
                {summary.onDemand}
              </Text>
            )}
          </BlockStack>
        )}

        {progress.status === "failed" && (
          <Banner
            tone="critical"
            title="The import stopped"
            action={{ content: "Retry import", onAction: onRetryImport, loading: pending === "retry-import" }}
          >
            <p>
              {progress.error ?? "Shopify did not finish the export."} Retrying runs the import again; nothing already
              imported is lost or duplicated.
            </p>
          </Banner>
        )}

        <Text as="p" tone="subdued">
          {completed && progress.completedAt ? `Import finished ${progress.completedAt}. ` : ""}
          {progress.status === "running" && progress.startedAt ? `Import started ${progress.startedAt}. ` : ""}
          {progress.lastReconciledAt
            ? `Last checked for missed changes ${progress.lastReconciledAt}.`
            : "Not yet checked for missed changes."}
        </Text>

        <InlineStack gap="300" blockAlign="center">
          <Button onClick={onCheckNow} loading={pending === "check-now"} disabled={pending !== null}>
            Check for missed changes now
          </Button>
          <div role="status" aria-live="polite">
            {checkRequested && pending === null && (
              <Text as="span" tone="subdued">
                Checking with Shopify. Changes appear here in a moment.
              </Text>
            )}
          </div>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

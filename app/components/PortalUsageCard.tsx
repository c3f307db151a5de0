import { BlockStack, Box, Button, Card, InlineGrid, InlineStack, Link, Text, Tooltip } from "@shopify/polaris";
import { useId, type ReactNode } from "react";
import { formatCount } from "./formatting";

/** The portal's figures as the home loader sends them (models/portal-usage.server.ts). */
export interface PortalUsageView {
  /** False until a shopper has ever signed in to the store's portal. */
  everUsed: boolean;
  /** "Nov 2 – Dec 1, 2026": the period's days in the store's zone. */
  periodLabel: string;
  days: number;
  sessions: number;
  billableSessions: number;
  deflectedSessions: number;
  /** 0–1, null without sessions. */
  deflectionRate: number | null;
  tracks: number;
  requests: number;
}

const PORTAL_SETTINGS_URL = "/app/settings/portal";

export const BILLABLE_EXPLANATION =
  "A session is billable when the shopper sent a request (a return, a cancellation or a problem report) or wrote to your team. Sessions where shoppers only tracked orders or read them are free.";

export function formatRate(rate: number | null): string {
  if (rate === null) return "–";
  return new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 0 }).format(rate);
}

function Figure({ label, value, help }: { label: ReactNode; value: string; help: string }) {
  return (
    <BlockStack gap="100">
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="span" variant="headingLg">
        {value}
      </Text>
      <Text as="span" variant="bodySm" tone="subdued">
        {help}
      </Text>
    </BlockStack>
  );
}

/**
 * The storefront portal on the home page: how many shoppers used it over the period, how many of
 * those sessions are billable, and how many the portal answered without the team (deflection).
 */
export function PortalUsageCard({ usage }: { usage: PortalUsageView }) {
  const headingId = useId();
  const heading = (
    <Text as="h2" variant="headingMd" id={headingId}>
      Self-service portal
    </Text>
  );
  if (!usage.everUsed) {
    return (
      <section aria-labelledby={headingId}>
        <Card>
          <BlockStack gap="300">
            {heading}
            <Text as="p">
              No shopper has used your self-service portal yet. Once it is on, shoppers track their orders and ask for
              returns or cancellations themselves, and you will see here how many questions it answered for your team.
            </Text>
            <Text as="p" tone="subdued">
              To turn it on, enable the Shopdesk portal app embed in your theme and choose what shoppers can do.
            </Text>
            <InlineStack>
              <Button url={PORTAL_SETTINGS_URL}>Set up the portal</Button>
            </InlineStack>
          </BlockStack>
        </Card>
      </section>
    );
  }

  const noSessions = usage.sessions === 0;
  return (
    <section aria-labelledby={headingId}>
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <BlockStack gap="050">
              {heading}
              <Text as="p" variant="bodySm" tone="subdued">
                Last {usage.days} days ({usage.periodLabel})
              </Text>
            </BlockStack>
            <Link url={PORTAL_SETTINGS_URL}>Portal settings</Link>
          </InlineStack>
          {noSessions && (
            <Text as="p" tone="subdued">
              No shopper signed in to the portal in the last {usage.days} days.
            </Text>
          )}
          <InlineGrid columns={{ xs: 2, md: 5 }} gap="400">
            <Figure
              label="Portal sessions"
              value={formatCount(usage.sessions)}
              help="Visits where a shopper signed in"
            />
            <Figure
              label={
                <Tooltip content={BILLABLE_EXPLANATION} hasUnderline>
                  <span>Billable sessions</span>
                </Tooltip>
              }
              value={formatCount(usage.billableSessions)}
              help="The shopper sent a request or wrote to your team"
            />
            <Figure
              label="Answered by the portal"
              value={formatRate(usage.deflectionRate)}
              help={`${formatCount(usage.deflectedSessions)} of ${formatCount(usage.sessions)} sessions needed no one from your team`}
            />
            <Figure label="Orders tracked" value={formatCount(usage.tracks)} help="Each order counted once per visit" />
            <Figure
              label="Requests"
              value={formatCount(usage.requests)}
              help="Returns, cancellations and problem reports"
            />
          </InlineGrid>
          <Box>
            <Text as="p" variant="bodySm" tone="subdued">
              {BILLABLE_EXPLANATION}
            </Text>
          </Box>
        </BlockStack>
      </Card>
    </section>
  );
}

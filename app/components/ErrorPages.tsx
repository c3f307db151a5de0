import { useRevalidator } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Box, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { useErrorReference } from "./error-reference";
import { classifyRouteError } from "./route-errors";

// The pages a merchant sees instead of the one they asked for. Inside the admin (`embedded`) they
// sit in the app's layout, so the navigation stays, and name themselves in the admin's title bar.

interface LinkAction {
  content: string;
  url: string;
}

function Illustration({ kind }: { kind: "search" | "warning" | "locked" }) {
  const stroke = "var(--p-color-icon-secondary, #8a8a8a)";
  return (
    <svg width="112" height="112" viewBox="0 0 112 112" aria-hidden="true" focusable="false">
      <circle cx="56" cy="56" r="52" fill="var(--p-color-bg-surface-secondary, #f1f1f1)" />
      {kind === "search" && (
        <g fill="none" stroke={stroke} strokeWidth="4" strokeLinecap="round">
          <rect x="30" y="26" width="40" height="52" rx="6" fill="var(--p-color-bg-surface, #fff)" />
          <path d="M38 40h24M38 50h16" />
          <circle cx="66" cy="66" r="12" fill="var(--p-color-bg-surface, #fff)" />
          <path d="M75 75l10 10" />
        </g>
      )}
      {kind === "warning" && (
        <g fill="none" stroke={stroke} strokeWidth="4" strokeLinecap="round" strokeLinejoin="round">
          <rect x="24" y="28" width="64" height="52" rx="6" fill="var(--p-color-bg-surface, #fff)" />
          <path d="M24 40h64" />
          <path d="M56 50l11 19H45z" />
          <path d="M56 57v5M56 66v0.5" />
        </g>
      )}
      {kind === "locked" && (
        <g fill="none" stroke={stroke} strokeWidth="4" strokeLinecap="round">
          <rect x="36" y="50" width="40" height="32" rx="6" fill="var(--p-color-bg-surface, #fff)" />
          <path d="M44 50v-8a12 12 0 0 1 24 0v8M56 62v8" />
        </g>
      )}
    </svg>
  );
}

interface MessagePageProps {
  /** Inside the Shopify admin: the title goes to App Bridge's title bar. */
  embedded: boolean;
  /** The admin title bar's text (embedded) or the page's title (outside the admin). */
  title: string;
  heading: string;
  illustration: "search" | "warning" | "locked";
  children: ReactNode;
  primaryAction?: ReactNode;
  secondaryAction?: ReactNode;
}

/** A centred message in a card, as Polaris empty states look, with a real heading for the page. */
export function MessagePage({
  embedded,
  title,
  heading,
  illustration,
  children,
  primaryAction,
  secondaryAction,
}: MessagePageProps) {
  return (
    <Page narrowWidth>
      {embedded && <TitleBar title={title} />}
      <Card>
        <Box paddingBlock="1000" paddingInline="600">
          <BlockStack gap="400" inlineAlign="center">
            <Illustration kind={illustration} />
            <Text as="h1" variant="headingLg" alignment="center">
              {heading}
            </Text>
            <Box maxWidth="440px">
              <BlockStack gap="200" inlineAlign="center">
                {children}
              </BlockStack>
            </Box>
            {(primaryAction || secondaryAction) && (
              <InlineStack gap="200" align="center">
                {secondaryAction}
                {primaryAction}
              </InlineStack>
            )}
          </BlockStack>
        </Box>
      </Card>
    </Page>
  );
}

const Paragraph = ({ children }: { children: ReactNode }) => (
  <Text as="p" alignment="center" tone="subdued">
    {children}
  </Text>
);

export interface NotFoundPageProps {
  embedded: boolean;
  title?: string;
  heading?: string;
  message?: string;
  action?: LinkAction;
}

export function NotFoundPage({
  embedded,
  title = "Page not found",
  heading = "We couldn't find this page",
  message = "The link may be out of date, or the page was moved.",
  action = { content: "Go to Home", url: "/app" },
}: NotFoundPageProps) {
  return (
    <MessagePage
      embedded={embedded}
      title={title}
      heading={heading}
      illustration="search"
      primaryAction={
        <Button variant="primary" url={action.url}>
          {action.content}
        </Button>
      }
    >
      <Paragraph>{message}</Paragraph>
    </MessagePage>
  );
}

/**
 * Something failed that we did not plan for. No details (they are in the log): what to do, and
 * the reference support needs to find them.
 */
export function UnexpectedErrorPage({ embedded, home }: { embedded: boolean; home?: LinkAction }) {
  const reference = useErrorReference();
  const revalidator = useRevalidator();
  return (
    <MessagePage
      embedded={embedded}
      title="Something went wrong"
      heading="Something went wrong"
      illustration="warning"
      primaryAction={
        <Button variant="primary" onClick={() => revalidator.revalidate()} loading={revalidator.state === "loading"}>
          Try again
        </Button>
      }
      secondaryAction={home && <Button url={home.url}>{home.content}</Button>}
    >
      <Paragraph>{"Shopdesk couldn't load this page. Try again in a moment."}</Paragraph>
      {reference && (
        <Paragraph>
          If it keeps happening, contact Shopdesk support and quote reference{" "}
          <Text as="span" fontWeight="semibold" tone="base">
            <span data-testid="error-reference">{reference}</span>
          </Text>
          .
        </Paragraph>
      )}
    </MessagePage>
  );
}

export function SignedOutPage({ embedded }: { embedded: boolean }) {
  return (
    <MessagePage
      embedded={embedded}
      title="Session ended"
      heading="Your session with Shopify ended"
      illustration="locked"
      primaryAction={
        <Button variant="primary" onClick={() => window.location.reload()}>
          Reload Shopdesk
        </Button>
      }
    >
      <Paragraph>
        {"Reload the page to sign in again. If that doesn't help, open Shopdesk from your Shopify admin."}
      </Paragraph>
    </MessagePage>
  );
}

export function RefusedPage({ embedded, message }: { embedded: boolean; message: string | null }) {
  return (
    <MessagePage
      embedded={embedded}
      title="Can't open this page"
      heading="This page can't be opened"
      illustration="locked"
      primaryAction={
        <Button variant="primary" url="/app">
          Go to Home
        </Button>
      }
    >
      <Paragraph>{message ?? "Shopdesk couldn't complete this request. Go back and try again."}</Paragraph>
    </MessagePage>
  );
}

/**
 * The Shopify library's session-token bounce and exit-iframe pages: its HTML loads App Bridge,
 * which finishes authentication. This is what `boundary.error` from @shopify/shopify-app-remix
 * renders; we do not call it because it recognises these responses by `error.constructor.name`,
 * which the production client bundle minifies: there it rethrows during hydration (React #418) and
 * the whole page is replaced by Remix's bare fallback.
 */
export function ShopifyAuthPage({ html }: { html: string }) {
  return <div dangerouslySetInnerHTML={{ __html: html || "Handling response" }} />;
}

/** The page for any error a route boundary catches. */
export function RouteErrorPage({
  error,
  embedded,
  notFound,
}: {
  error: unknown;
  embedded: boolean;
  notFound?: Omit<NotFoundPageProps, "embedded">;
}) {
  const kind = classifyRouteError(error);
  switch (kind.kind) {
    case "not-found":
      return <NotFoundPage embedded={embedded} {...notFound} />;
    case "signed-out":
      return <SignedOutPage embedded={embedded} />;
    case "refused":
      return <RefusedPage embedded={embedded} message={kind.message} />;
    case "shopify-auth":
      return <ShopifyAuthPage html={kind.html} />;
    case "unexpected":
      return (
        <UnexpectedErrorPage embedded={embedded} home={embedded ? { content: "Go to Home", url: "/app" } : undefined} />
      );
  }
}

import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import type { ReactNode } from "react";
import { RouteErrorPage, ShopifyAuthPage } from "~/components/ErrorPages";
import { classifyRouteError } from "~/components/route-errors";
import { env } from "~/env.server";
import type { loader as rootLoader } from "~/root";
import { agentForRequest } from "~/services/agents.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  // Who is using the app (an agent of the shop's workspace), for the pages below.
  const agent = await agentForRequest(request, await authenticate.admin(request));
  return { apiKey: env.SHOPIFY_API_KEY, agent };
};

/** Polaris and App Bridge with the app's navigation: every page inside the admin, errors included. */
function EmbeddedShell({ apiKey, children }: { apiKey: string; children: ReactNode }) {
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/inbox">Inbox</Link>
        <Link to="/app/customers">Customers</Link>
        <Link to="/app/visitors">On the store now</Link>
        <Link to="/app/activity">Activity</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      {children}
    </AppProvider>
  );
}

export default function EmbeddedApp() {
  const { apiKey } = useLoaderData<typeof loader>();
  return (
    <EmbeddedShell apiKey={apiKey}>
      <Outlet />
    </EmbeddedShell>
  );
}

// Pages throw their own 404s and other errors into their boundaries, inside this layout. What
// reaches this one failed in the layout's loader (authentication, Shopify during install) or in a
// page without a boundary: it keeps the navigation, unless it is the Shopify library's own
// bounce/exit-iframe page, which must render bare for App Bridge to take over.
export function ErrorBoundary() {
  const error = useRouteError();
  const { apiKey } = useRouteLoaderData<typeof rootLoader>("root") ?? { apiKey: "" };
  const kind = classifyRouteError(error);
  if (kind.kind === "shopify-auth") return <ShopifyAuthPage html={kind.html} />;
  return (
    <EmbeddedShell apiKey={apiKey}>
      <RouteErrorPage error={error} embedded />
    </EmbeddedShell>
  );
}

// Shopify's document headers (CSP frame-ancestors for the admin) on answers and error answers alike.
export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

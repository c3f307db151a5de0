import type { LoaderFunctionArgs } from "@remix-run/node";
import { useRouteError } from "@remix-run/react";
import { RouteErrorPage } from "~/components/ErrorPages";
import { authenticate } from "~/shopify.server";

// Any /app address no page answers: a 404 inside the app's layout, after authentication (outside
// the admin it leads to the login page like every other /app address).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  throw new Response("Page not found", { status: 404 });
};

export function ErrorBoundary() {
  return <RouteErrorPage error={useRouteError()} embedded />;
}

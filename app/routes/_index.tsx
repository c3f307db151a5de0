import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

// Shopify opens the app at application_url with ?shop=…&host=…: send those requests into the
// embedded app; anyone else gets a short explanation of where Shopdesk lives.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return null;
};

export default function Landing() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 560, margin: "15vh auto", lineHeight: 1.5 }}>
      <h1>Shopdesk</h1>
      <p>
        A helpdesk for Shopify stores, built around orders. Install it from the Shopify App Store and open it from your
        Shopify admin.
      </p>
    </main>
  );
}

import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { BlockStack, Box, Button, Card, FormLayout, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { useState } from "react";
import { z } from "zod";
import { parseShopDomain, SHOP_DOMAIN_HINT } from "~/domain/shop-domain";
import { readForm } from "~/lib/form-data.server";
import type { loader as rootLoader } from "~/root";
import shopify from "~/shopify.server";

// Where the Shopify library sends anyone who opens an /app address outside the admin (its
// `loginPath`). Shopdesk only runs embedded, so this page sends the merchant to their own admin,
// where Shopdesk opens (or installs, if it is not yet). We check the shop ourselves (stricter than
// the library, and with a message a person can act on); the library's login() chooses the address.

export const meta: MetaFunction = () => [{ title: "Open Shopdesk" }];

const LoginSchema = z.object({
  shop: z
    .string({ error: SHOP_DOMAIN_HINT })
    .max(255, SHOP_DOMAIN_HINT)
    .transform((value, context) => {
      const domain = parseShopDomain(value);
      if (domain) return domain;
      context.addIssue({ code: "custom", message: SHOP_DOMAIN_HINT });
      return z.NEVER;
    }),
});

type LoginResult = { shop: string; error: string | null };

/** The shop's myshopify.com domain, or the inline error to show next to what was typed. */
function parseLogin(fields: Record<string, unknown>): { shop: string } | LoginResult {
  const parsed = LoginSchema.safeParse(fields);
  if (parsed.success) return { shop: parsed.data.shop };
  const typed = typeof fields.shop === "string" ? fields.shop.slice(0, 255) : "";
  return { shop: typed, error: parsed.error.issues[0]?.message ?? SHOP_DOMAIN_HINT };
}

/**
 * Throws the library's redirect for a checked shop: with the new embedded auth strategy that is
 * admin.shopify.com/store/<handle>/oauth/install?client_id=…, which opens Shopdesk in the admin
 * when it is installed and installs it otherwise (decision 010).
 */
async function sendToShopifyAdmin(request: Request, shop: string): Promise<never> {
  const url = new URL(request.url);
  url.search = new URLSearchParams({ shop }).toString();
  await shopify.login(new Request(url));
  throw new Error(`shopify.login() did not redirect for ${shop}`);
}

// Shopify links here with ?shop=… (e.g. from the app listing): go straight on when it is valid.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = new URL(request.url).searchParams.get("shop");
  if (shop === null) return { shop: "", error: null } satisfies LoginResult;
  const result = parseLogin({ shop });
  if (!("error" in result)) return sendToShopifyAdmin(request, result.shop);
  return data(result, { status: 400 });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  // A body that is not a form (or too large to be this one) has no shop in it: the same inline
  // error with the form's own reason, not a 500.
  const form = await readForm(request, LoginSchema, "store domain");
  if (form.ok) return sendToShopifyAdmin(request, form.data.shop);
  const result: LoginResult = {
    shop: typeof form.fields.shop === "string" ? form.fields.shop.slice(0, 255) : "",
    error: form.errors.shop?.[0] ?? form.errors.form?.[0] ?? SHOP_DOMAIN_HINT,
  };
  return data(result, { status: form.status });
};

export default function Login() {
  const fromLoader = useLoaderData<typeof loader>();
  const fromAction = useActionData<typeof action>();
  const { shop: typed, error } = fromAction ?? fromLoader;
  const [shop, setShop] = useState(typed);
  const { apiKey } = useRouteLoaderData<typeof rootLoader>("root") ?? { apiKey: "" };
  return (
    <AppProvider isEmbeddedApp={false} apiKey={apiKey}>
      <Page narrowWidth>
        <Box paddingBlockStart="1600">
          <Card>
            <Box padding="400">
              <BlockStack gap="500">
                <InlineStack gap="200" blockAlign="center">
                  <Box background="bg-fill-brand" borderRadius="200" padding="100" width="28px">
                    <Text as="span" variant="headingSm" alignment="center" tone="text-inverse">
                      S
                    </Text>
                  </Box>
                  <Text as="span" variant="headingMd">
                    Shopdesk
                  </Text>
                </InlineStack>
                <BlockStack gap="200">
                  <Text as="h1" variant="headingLg">
                    Open Shopdesk
                  </Text>
                  <Text as="p">Open Shopdesk from your Shopify admin (Apps → Shopdesk).</Text>
                  <Text as="p" tone="subdued">
                    {"Or enter your shop's domain and we'll take you there."}
                  </Text>
                </BlockStack>
                {/* A plain form post: it works before the page's scripts load, and in a frame
                    the admin's page opens in the whole window. */}
                <Form method="post" reloadDocument target="_top">
                  <FormLayout>
                    <TextField
                      label="Shop domain"
                      name="shop"
                      value={shop}
                      onChange={setShop}
                      autoComplete="on"
                      placeholder="your-store.myshopify.com"
                      helpText="Your store's myshopify.com domain, or just its name."
                      error={error ?? undefined}
                      autoFocus
                    />
                    <InlineStack align="end">
                      <Button submit variant="primary">
                        Open Shopdesk
                      </Button>
                    </InlineStack>
                  </FormLayout>
                </Form>
              </BlockStack>
            </Box>
          </Card>
        </Box>
      </Page>
    </AppProvider>
  );
}

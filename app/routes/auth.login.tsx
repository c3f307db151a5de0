import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { BlockStack, Box, Button, Card, FormLayout, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { useState } from "react";
import { z } from "zod";
import { embeddedAppUrl, parseShopDomain, SHOP_DOMAIN_HINT } from "~/domain/shop-domain";
import { env } from "~/env.server";
import type { loader as rootLoader } from "~/root";

// Where the Shopify library sends anyone who opens an /app address outside the admin (its
// `loginPath`). With token exchange Shopdesk only runs embedded, so this page's one job is to send
// the merchant to Shopdesk inside their own admin. The library's login() would send them to
// /oauth/install instead (see decision 008); that installs, which is not what this page is for.

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

/** The admin address for a valid shop, or the inline error to show next to what was typed. */
function parseLogin(fields: Record<string, unknown>): { redirectTo: string } | LoginResult {
  const parsed = LoginSchema.safeParse(fields);
  if (parsed.success) return { redirectTo: embeddedAppUrl(parsed.data.shop, env.SHOPIFY_API_KEY) };
  const typed = typeof fields.shop === "string" ? fields.shop.slice(0, 255) : "";
  return { shop: typed, error: parsed.error.issues[0]?.message ?? SHOP_DOMAIN_HINT };
}

// Shopify links here with ?shop=… (e.g. from the app listing): go straight on when it is valid.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = new URL(request.url).searchParams.get("shop");
  if (shop === null) return { shop: "", error: null } satisfies LoginResult;
  const result = parseLogin({ shop });
  if ("redirectTo" in result) throw redirect(result.redirectTo);
  return data(result, { status: 400 });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const result = parseLogin(Object.fromEntries(await request.formData()));
  if ("redirectTo" in result) throw redirect(result.redirectTo);
  return data(result, { status: 400 });
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

import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Modal,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { storableString } from "~/lib/storable-text";
import { formatShopTime } from "~/components/formatting";
import { readForm } from "~/lib/form-data.server";
import { createApiKey, listApiKeys, revokeApiKey } from "~/models/api-key.server";
import { requireInstalledShop } from "~/models/shop.server";
import { authenticate } from "~/shopify.server";

// Settings → API keys: the workspace's REST API keys (decision 024). A new key is answered once,
// by the action that made it, and shown in a modal; the list shows names and times, never keys.

const ApiKeyFormSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    name: storableString()
      .trim()
      .min(1, "Give the key a name (what uses it).")
      .max(100, "Keep the name under 100 characters."),
  }),
  z.object({ intent: z.literal("revoke"), id: z.string().uuid("Choose a key to revoke.") }),
]);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const keys = await listApiKeys(shop.workspaceId);
  return {
    baseUrl: `${new URL(request.url).origin}/api`,
    keys: keys.map((key) => ({
      id: key.id,
      name: key.name,
      username: key.username,
      keyPrefix: key.keyPrefix,
      createdAt: key.createdAt.toISOString(),
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      // Formatted here, in the store's timezone, so the page hydrates with the same text.
      created: formatShopTime(key.createdAt.toISOString(), shop.ianaTimezone),
      lastUsed: formatShopTime(key.lastUsedAt?.toISOString() ?? null, shop.ianaTimezone) ?? "Never",
    })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const form = await readForm(request, ApiKeyFormSchema, "API key");
  if (!form.ok) return data({ ok: false as const, errors: form.errors }, { status: form.status });
  if (form.data.intent === "create") {
    const { key, apiKey } = await createApiKey(shop.workspaceId, { name: form.data.name, username: shop.domain });
    return {
      ok: true as const,
      toast: "API key created",
      created: { name: apiKey.name, username: apiKey.username, key },
    };
  }
  if (!(await revokeApiKey(shop.workspaceId, form.data.id))) {
    return data(
      { ok: false as const, errors: { form: ["This key does not exist or is already revoked."] } },
      { status: 404 },
    );
  }
  return { ok: true as const, toast: "API key revoked", created: null };
};

type Answer =
  | { ok: true; toast: string; created: { name: string; username: string; key: string } | null }
  | { ok: false; errors: Record<string, string[] | undefined> };

export default function ApiKeysSettings() {
  const { keys, baseUrl } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const creator = useFetcher<Answer>();
  const revoker = useFetcher<Answer>();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const created = creator.state === "idle" ? creator.data : undefined;
  const shownKey = created?.ok ? created.created : null;
  const nameError = created && !created.ok ? (created.errors.name ?? created.errors.form)?.[0] : undefined;

  useEffect(() => {
    const answer = revoker.data;
    if (revoker.state === "idle" && answer?.ok) {
      shopify.toast.show(answer.toast);
      setRevoking(null);
    }
  }, [revoker.state, revoker.data, shopify]);

  const closeCreate = () => {
    setCreating(false);
    setName("");
  };

  const rows = keys.map((key, index) => (
    <IndexTable.Row id={key.id} key={key.id} position={index}>
      <IndexTable.Cell>
        <Text as="span" fontWeight="semibold">
          {key.name}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" tone="subdued">
          {key.username} · {key.keyPrefix}…
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{key.created}</IndexTable.Cell>
      <IndexTable.Cell>{key.lastUsed}</IndexTable.Cell>
      <IndexTable.Cell>
        <Button variant="plain" tone="critical" onClick={() => setRevoking({ id: key.id, name: key.name })}>
          Revoke
        </Button>
      </IndexTable.Cell>
    </IndexTable.Row>
  ));

  return (
    <Page backAction={{ content: "Settings", url: "/app/settings" }}>
      <TitleBar title="API keys">
        {/* eslint-disable-next-line react/no-unknown-property -- App Bridge's title bar reads `variant` */}
        <button variant="primary" onClick={() => setCreating(true)}>
          Create API key
        </button>
      </TitleBar>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="200">
            <Text as="p">
              Other tools use these keys to read and write this workspace through the REST API at{" "}
              <Text as="span" fontWeight="semibold">
                {baseUrl}
              </Text>
              , with HTTP basic auth (user name and key). Each key may make 80 requests every 20 seconds.
            </Text>
          </BlockStack>
        </Card>
        <Card padding="0">
          {keys.length === 0 ? (
            <EmptyState
              heading="No API keys yet"
              action={{ content: "Create API key", onAction: () => setCreating(true) }}
              image=""
            >
              <p>Create a key for each tool that connects to Shopdesk, so you can revoke one without the others.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "API key", plural: "API keys" }}
              itemCount={keys.length}
              selectable={false}
              headings={[
                { title: "Name" },
                { title: "User name · key" },
                { title: "Created" },
                { title: "Last used" },
                { title: "Actions", hidden: true },
              ]}
            >
              {rows}
            </IndexTable>
          )}
        </Card>
      </BlockStack>

      <Modal
        open={creating}
        onClose={closeCreate}
        title={shownKey ? "Copy your API key" : "Create API key"}
        primaryAction={
          shownKey
            ? { content: "Done", onAction: closeCreate }
            : {
                content: "Create key",
                loading: creator.state !== "idle",
                onAction: () => creator.submit({ intent: "create", name }, { method: "post" }),
              }
        }
        secondaryActions={shownKey ? [] : [{ content: "Cancel", onAction: closeCreate }]}
      >
        <Modal.Section>
          {shownKey ? (
            <BlockStack gap="300">
              <Text as="p">
                This is the only time the key is shown. Store it in the tool that uses it; if it is lost, create another
                and revoke this one.
              </Text>
              <TextField label="User name" value={shownKey.username} readOnly autoComplete="off" />
              <TextField
                label="API key"
                value={shownKey.key}
                readOnly
                autoComplete="off"
                monospaced
                connectedRight={
                  <Button
                    onClick={() => {
                      void navigator.clipboard?.writeText(shownKey.key);
                      shopify.toast.show("Key copied");
                    }}
                  >
                    Copy
                  </Button>
                }
              />
            </BlockStack>
          ) : (
            <TextField
              label="Name"
              helpText="What uses this key, e.g. Loop Returns."
              value={name}
              onChange={setName}
              error={nameError}
              autoComplete="off"
            />
          )}
        </Modal.Section>
      </Modal>

      <Modal
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke ${revoking?.name ?? "key"}?`}
        primaryAction={{
          content: "Revoke key",
          destructive: true,
          loading: revoker.state !== "idle",
          onAction: () => revoking && revoker.submit({ intent: "revoke", id: revoking.id }, { method: "post" }),
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setRevoking(null) }]}
      >
        <Modal.Section>
          <Box>
            <InlineStack>
              <Text as="p">Requests with this key are refused from now on. This cannot be undone.</Text>
            </InlineStack>
          </Box>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

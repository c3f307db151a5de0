import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  EmptyState,
  IndexTable,
  InlineStack,
  Layout,
  Modal,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { formatShopTime } from "~/components/formatting";
import { deliveryStatusWords, HEALTH_WORDS, triggerWords, type IntegrationHealth } from "~/domain/integration-health";
import { readForm } from "~/lib/form-data.server";
import {
  integrationDeliveries,
  integrationDelivery,
  integrationHeaderNames,
  integrationSummaries,
  privateNetworkAllowed,
  setPrivateNetworkAllowed,
} from "~/models/integration-log.server";
import { requireInstalledShop } from "~/models/shop.server";
import { pausedBannerText, pausedIntegrations } from "~/services/integrations/alerts.server";
import {
  CUSTOM_ACTION_TRIGGER,
  NOT_REPLAYABLE,
  replayIntegrationDelivery,
  resumeIntegration,
} from "~/services/integrations/delivery.server";
import { integrationSigningSecret } from "~/services/integrations/signature.server";
import { authenticate } from "~/shopify.server";

// Settings → Integrations: the workspace's HTTP integrations (made through the REST API), their
// health, each one's delivery log with Replay, Resume for a paused one, its signing secret, and the
// private-network switch (decision 025). Header values never reach the page: only their names.

// Past PostgreSQL's integer range an id is no integration's (and Prisma would refuse it).
const MAX_ID = 2_147_483_647;
const IntegrationIdSchema = z.coerce
  .number()
  .int()
  .positive("Choose an integration.")
  .max(MAX_ID, "Choose an integration.");

const QuerySchema = z.object({
  integration: z.coerce.number().int().positive().max(MAX_ID).optional().catch(undefined),
  delivery: z.string().uuid().optional().catch(undefined),
});

const IntegrationsFormSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("replay"), deliveryId: z.string().uuid("Choose a call to replay.") }),
  z.object({ intent: z.literal("resume"), integrationId: IntegrationIdSchema }),
  z.object({
    intent: z.literal("signing-secret"),
    integrationId: IntegrationIdSchema,
  }),
  z.object({ intent: z.literal("private-network"), enabled: z.enum(["true", "false"]) }),
]);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const query = QuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const zone = shop.ianaTimezone;
  const at = (date: Date | null) => formatShopTime(date?.toISOString() ?? null, zone);
  const [integrations, allowPrivate, paused] = await Promise.all([
    integrationSummaries(shop.workspaceId),
    privateNetworkAllowed(shop.workspaceId),
    pausedIntegrations(shop.workspaceId),
  ]);
  const selectedId = query.integration ?? integrations[0]?.id;
  const deliveries = selectedId ? await integrationDeliveries(shop.workspaceId, selectedId) : null;
  const headerNames = selectedId && deliveries ? await integrationHeaderNames(shop.workspaceId, selectedId) : null;
  const delivery = query.delivery ? await integrationDelivery(shop.workspaceId, query.delivery) : null;
  return {
    allowPrivate,
    pausedBanner: pausedBannerText(paused),
    integrations: integrations.map((integration) => ({
      ...integration,
      circuitOpenedAt: at(integration.circuitOpenedAt),
    })),
    selected: deliveries && selectedId ? { id: selectedId, headerNames: headerNames ?? [] } : null,
    deliveries: (deliveries ?? []).map((row) => ({
      id: row.id,
      when: at(row.createdAt) ?? "",
      trigger: row.replayOfId ? `Replay (${triggerWords(row.trigger)})` : triggerWords(row.trigger),
      status: row.status,
      statusWords: deliveryStatusWords(row.status),
      responseStatus: row.responseStatus,
      duration: row.durationMs === null ? "" : `${row.durationMs} ms`,
      attempts: row.attempts,
    })),
    delivery: delivery && {
      ...delivery,
      trigger: triggerWords(delivery.trigger),
      // A widget action runs again from its ticket, not from here.
      replayable: delivery.trigger !== CUSTOM_ACTION_TRIGGER,
      statusWords: deliveryStatusWords(delivery.status),
      createdAt: at(delivery.createdAt),
      finishedAt: at(delivery.finishedAt),
    },
  };
};

type Answer =
  { ok: true; toast: string; secret?: string } | { ok: false; errors: Record<string, string[] | undefined> };

const notFound = (message: string) => data({ ok: false as const, errors: { form: [message] } }, { status: 404 });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const form = await readForm(request, IntegrationsFormSchema, "integration");
  if (!form.ok) return data({ ok: false as const, errors: form.errors }, { status: form.status });
  switch (form.data.intent) {
    case "replay": {
      const id = await replayIntegrationDelivery(shop.workspaceId, form.data.deliveryId);
      if (!id) return notFound("This call is not in your delivery log.");
      if (id === NOT_REPLAYABLE) {
        const message = "A widget action is run again from its ticket, where the agent fills in its values.";
        return data({ ok: false as const, errors: { form: [message] } }, { status: 400 });
      }
      return { ok: true as const, toast: "Call sent again" };
    }
    case "resume": {
      if (!(await resumeIntegration(shop.workspaceId, form.data.integrationId))) {
        return notFound("This integration does not exist.");
      }
      return { ok: true as const, toast: "Integration resumed" };
    }
    case "signing-secret": {
      if ((await integrationHeaderNames(shop.workspaceId, form.data.integrationId)) === null) {
        return notFound("This integration does not exist.");
      }
      return {
        ok: true as const,
        toast: "Signing secret shown",
        secret: integrationSigningSecret(shop.workspaceId, form.data.integrationId),
      };
    }
    case "private-network": {
      const enabled = form.data.enabled === "true";
      await setPrivateNetworkAllowed(shop.workspaceId, enabled);
      return { ok: true as const, toast: enabled ? "Private network allowed" : "Private network blocked" };
    }
  }
};

const HEALTH_TONE: Record<IntegrationHealth, "success" | "critical" | "warning" | undefined> = {
  working: "success",
  failing: "warning",
  paused: "critical",
  off: undefined,
  unused: undefined,
};

const STATUS_TONE: Record<string, "success" | "critical" | "warning" | "attention" | undefined> = {
  succeeded: "success",
  failed: "warning",
  gave_up: "critical",
  refused: "attention",
};

export default function IntegrationsSettings() {
  const { integrations, selected, deliveries, delivery, allowPrivate, pausedBanner } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const act = useFetcher<Answer>();
  const secretFetcher = useFetcher<Answer>();
  const [confirmPrivate, setConfirmPrivate] = useState(false);
  const answer = act.state === "idle" ? act.data : undefined;
  const error = answer && !answer.ok ? answer.errors.form?.[0] : undefined;
  const secret = secretFetcher.data?.ok ? secretFetcher.data.secret : undefined;

  useEffect(() => {
    if (act.state === "idle" && act.data?.ok) shopify.toast.show(act.data.toast);
  }, [act.state, act.data, shopify]);

  const open = (params: Record<string, string | number | null>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(params)) {
      if (value === null) next.delete(key);
      else next.set(key, String(value));
    }
    navigate(`?${next.toString()}`, { preventScrollReset: true });
  };

  const selectedIntegration = integrations.find(({ id }) => id === selected?.id);

  return (
    <Page backAction={{ content: "Settings", url: "/app/settings" }}>
      <TitleBar title="Integrations" />
      <BlockStack gap="400">
        {pausedBanner && (
          <Banner tone="critical" title="Calls to an integration are paused">
            <p>{pausedBanner}</p>
          </Banner>
        )}
        {error && (
          <Banner tone="critical">
            <p>{error}</p>
          </Banner>
        )}
        <Layout>
          <Layout.Section>
            <Card padding="0">
              {integrations.length === 0 ? (
                <EmptyState heading="No integrations yet" image="">
                  <p>
                    Integrations are added by the tools you connect (such as Loop Returns) through the REST API, with a
                    key from Settings → API keys. They show here with every call Shopdesk makes to them.
                  </p>
                </EmptyState>
              ) : (
                <IndexTable
                  resourceName={{ singular: "integration", plural: "integrations" }}
                  itemCount={integrations.length}
                  selectable={false}
                  headings={[{ title: "Name" }, { title: "Calls" }, { title: "When" }, { title: "Health" }]}
                >
                  {integrations.map((integration, index) => (
                    <IndexTable.Row
                      id={String(integration.id)}
                      key={integration.id}
                      position={index}
                      selected={integration.id === selected?.id}
                      onClick={() => open({ integration: integration.id, delivery: null })}
                    >
                      <IndexTable.Cell>
                        <Text as="span" fontWeight="semibold">
                          {integration.name}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{integration.host}</IndexTable.Cell>
                      <IndexTable.Cell>{integration.triggers}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Badge tone={HEALTH_TONE[integration.health]}>{HEALTH_WORDS[integration.health]}</Badge>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
            </Card>
          </Layout.Section>

          {selectedIntegration && selected && (
            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center" gap="200">
                    <Text as="h2" variant="headingMd">
                      {selectedIntegration.name}: recent calls
                    </Text>
                    <InlineStack gap="200">
                      {selectedIntegration.health === "paused" && (
                        <Button
                          variant="primary"
                          loading={act.state !== "idle"}
                          onClick={() =>
                            act.submit({ intent: "resume", integrationId: selectedIntegration.id }, { method: "post" })
                          }
                        >
                          Resume
                        </Button>
                      )}
                      <Button
                        onClick={() =>
                          secretFetcher.submit(
                            { intent: "signing-secret", integrationId: selectedIntegration.id },
                            { method: "post" },
                          )
                        }
                      >
                        Show signing secret
                      </Button>
                    </InlineStack>
                  </InlineStack>
                  {selectedIntegration.health === "paused" && (
                    <Text as="p" tone="critical">
                      Paused since {selectedIntegration.circuitOpenedAt} after {selectedIntegration.consecutiveFailures}{" "}
                      failed calls in a row. Shopdesk tries one call every few minutes and resumes by itself when it
                      works; Resume sends calls again now.
                    </Text>
                  )}
                  <Text as="p" tone="subdued">
                    Headers sent: {selected.headerNames.length ? selected.headerNames.join(", ") : "none"} (their values
                    are stored encrypted and never shown). Each call carries X-Shopdesk-Signature and Idempotency-Key.
                  </Text>
                  {secret && (
                    <TextField
                      label="Signing secret (verify X-Shopdesk-Signature with it)"
                      value={secret}
                      readOnly
                      monospaced
                      autoComplete="off"
                    />
                  )}
                </BlockStack>
              </Card>
              <Box paddingBlockStart="400">
                <Card padding="0">
                  {deliveries.length === 0 ? (
                    <EmptyState heading="No calls yet" image="">
                      <p>Calls show here as ticket events trigger this integration.</p>
                    </EmptyState>
                  ) : (
                    <IndexTable
                      resourceName={{ singular: "call", plural: "calls" }}
                      itemCount={deliveries.length}
                      selectable={false}
                      headings={[
                        { title: "When" },
                        { title: "Trigger" },
                        { title: "Status" },
                        { title: "Response" },
                        { title: "Duration" },
                      ]}
                    >
                      {deliveries.map((row, index) => (
                        <IndexTable.Row
                          id={row.id}
                          key={row.id}
                          position={index}
                          onClick={() => open({ delivery: row.id })}
                        >
                          <IndexTable.Cell>{row.when}</IndexTable.Cell>
                          <IndexTable.Cell>{row.trigger}</IndexTable.Cell>
                          <IndexTable.Cell>
                            <Badge tone={STATUS_TONE[row.status]}>{row.statusWords}</Badge>
                          </IndexTable.Cell>
                          <IndexTable.Cell>{row.responseStatus ?? "—"}</IndexTable.Cell>
                          <IndexTable.Cell>{row.duration}</IndexTable.Cell>
                        </IndexTable.Row>
                      ))}
                    </IndexTable>
                  )}
                </Card>
              </Box>
            </Layout.Section>
          )}

          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Checkbox
                  label="Allow private network"
                  helpText="Lets integrations call addresses inside your network or this server's (localhost, 10.x, 192.168.x, cloud metadata). Leave it off unless an integration runs on a server of yours: with it on, a wrong or hostile URL can reach internal services."
                  checked={allowPrivate}
                  onChange={(checked) =>
                    checked
                      ? setConfirmPrivate(true)
                      : act.submit({ intent: "private-network", enabled: "false" }, { method: "post" })
                  }
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </BlockStack>

      <Modal
        open={confirmPrivate}
        onClose={() => setConfirmPrivate(false)}
        title="Allow calls to private networks?"
        primaryAction={{
          content: "Allow private network",
          destructive: true,
          onAction: () => {
            act.submit({ intent: "private-network", enabled: "true" }, { method: "post" });
            setConfirmPrivate(false);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmPrivate(false) }]}
      >
        <Modal.Section>
          <Text as="p">
            Integrations will be able to call this server and machines on its network. Anyone who can create an
            integration (any API key of this workspace) could then reach internal services. Only allow it if an
            integration must call a server of yours on a private address.
          </Text>
        </Modal.Section>
      </Modal>

      <Modal
        open={delivery !== null}
        onClose={() => open({ delivery: null })}
        title={delivery ? `${delivery.statusWords}: ${delivery.trigger}` : "Call"}
        primaryAction={
          delivery?.replayable
            ? {
                content: "Replay",
                loading: act.state !== "idle",
                onAction: () => act.submit({ intent: "replay", deliveryId: delivery.id }, { method: "post" }),
              }
            : undefined
        }
        secondaryActions={[{ content: "Close", onAction: () => open({ delivery: null }) }]}
      >
        {delivery && (
          <Modal.Section>
            <BlockStack gap="300">
              <Text as="p" tone="subdued">
                {delivery.createdAt} · {delivery.attempts} {delivery.attempts === 1 ? "attempt" : "attempts"}
                {delivery.durationMs !== null ? ` · ${delivery.durationMs} ms` : ""} · key {delivery.idempotencyKey}
              </Text>
              {delivery.error && (
                <Banner tone="warning">
                  <p>{delivery.error}</p>
                </Banner>
              )}
              <TextField
                label="Request"
                value={`${delivery.requestMethod} ${delivery.requestUrl}`}
                readOnly
                autoComplete="off"
                monospaced
              />
              {delivery.requestBody && (
                <TextField
                  label="Request body"
                  value={delivery.requestBody}
                  readOnly
                  multiline={4}
                  autoComplete="off"
                  monospaced
                />
              )}
              <TextField
                label={`Response${delivery.responseStatus ? ` (${delivery.responseStatus})` : ""}`}
                value={delivery.responseExcerpt ?? "No response"}
                readOnly
                multiline={4}
                autoComplete="off"
                monospaced
              />
              <Text as="p" tone="subdued">
                {delivery.replayable
                  ? "Replay sends this request again as a new call with a new idempotency key."
                  : "A widget action runs again from its ticket's sidebar, where its values are filled in."}
              </Text>
            </BlockStack>
          </Modal.Section>
        )}
      </Modal>
    </Page>
  );
}

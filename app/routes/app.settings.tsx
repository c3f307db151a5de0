import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useOutlet } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  InlineStack,
  Layout,
  Modal,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState, type FormEvent } from "react";
import { formatCount, formatShopTime } from "~/components/formatting";
import {
  fieldErrorsOf,
  JoinWorkspaceFormSchema,
  SettingsFormSchema,
  type FieldErrors,
} from "~/components/settings-forms";
import { readForm } from "~/lib/form-data.server";
import { findShop, requireInstalledShop, setNotesSync } from "~/models/shop.server";
import { createWorkspaceLinkCode, joinWorkspace, leaveWorkspace } from "~/services/workspace-link.server";
import { IntegrationsPausedBanner } from "~/components/IntegrationsPausedBanner";
import { pausedBannerText, pausedIntegrations } from "~/services/integrations/alerts.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const installed = await requireInstalledShop(session.shop, admin);
  const shop = await findShop(installed.domain);
  if (!shop) throw new Response("Shop not found", { status: 404 });
  return {
    integrationsPaused: pausedBannerText(await pausedIntegrations(shop.workspaceId)),
    shop: { domain: shop.domain, name: shop.name ?? shop.domain, notesSyncEnabled: shop.notesSyncEnabled },
    workspace: {
      name: shop.workspace.name,
      // The action's rule: a store can leave only a workspace it shares with another store.
      canLeave: shop.workspace.shops.length > 1,
      shops: shop.workspace.shops
        .filter((member) => !member.uninstalledAt)
        .map((member) => ({
          domain: member.domain,
          name: member.name ?? member.domain,
          current: member.id === shop.id,
        })),
    },
  };
};

type Intent = "notes-sync" | "create-link-code" | "join-workspace" | "leave-workspace";
const INTENTS: readonly string[] = [
  "notes-sync",
  "create-link-code",
  "join-workspace",
  "leave-workspace",
] satisfies Intent[];

const invalid = (intent: Intent | null, errors: FieldErrors, status: 400 | 413 = 400) =>
  data({ intent, ok: false as const, errors }, { status });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const form = await readForm(request, SettingsFormSchema, "settings");
  if (!form.ok) {
    const { intent } = form.fields;
    return invalid(
      typeof intent === "string" && INTENTS.includes(intent) ? (intent as Intent) : null,
      form.errors,
      form.status,
    );
  }

  switch (form.data.intent) {
    case "notes-sync": {
      await setNotesSync(shop.id, form.data.enabled);
      return { intent: form.data.intent, ok: true as const, enabled: form.data.enabled };
    }
    case "create-link-code": {
      const link = await createWorkspaceLinkCode(shop);
      return {
        intent: form.data.intent,
        ok: true as const,
        code: link.code,
        expiresAt: formatShopTime(link.expiresAt.toISOString(), shop.ianaTimezone),
        minutes: Math.max(1, Math.round((link.expiresAt.getTime() - Date.now()) / 60_000)),
      };
    }
    case "join-workspace": {
      const joined = await joinWorkspace(shop, form.data.code);
      // An unusable code is the merchant's to fix (retype, ask for a new one): a field error.
      if (!joined.ok) return invalid(form.data.intent, { code: [joined.error] });
      return {
        intent: form.data.intent,
        ok: true as const,
        workspaceName: joined.workspaceName,
        mergedCustomers: joined.mergedCustomers,
      };
    }
    case "leave-workspace": {
      const left = await leaveWorkspace(shop);
      // Not a field to fix: the workspace's state does not allow it (the store is alone in it).
      if (!left.ok)
        return data({ intent: form.data.intent, ok: false as const, errors: { form: [left.error] } }, { status: 409 });
      return {
        intent: form.data.intent,
        ok: true as const,
        workspaceName: left.workspaceName,
        customers: left.customers,
      };
    }
  }
};

type ActionData = NonNullable<ReturnType<typeof useFetcher<typeof action>>["data"]>;
const errorsOf = (result: ActionData | undefined): FieldErrors => (result && !result.ok ? result.errors : {});

function NotesSyncSetting({ enabled }: { enabled: boolean }) {
  const fetcher = useFetcher<typeof action>({ key: "notes-sync" });
  // Optimistic: show the new state while it saves.
  const pending = fetcher.formData?.get("enabled");
  const checked = typeof pending === "string" ? pending === "true" : enabled;
  const errors = errorsOf(fetcher.data);
  return (
    <Card>
      <BlockStack gap="200">
        <Checkbox
          label="Sync notes with Shopify customer notes"
          checked={checked}
          disabled={fetcher.state !== "idle"}
          onChange={(value) => fetcher.submit({ intent: "notes-sync", enabled: String(value) }, { method: "post" })}
          helpText="A note an agent writes on a customer is copied to the customer's note in this store's Shopify admin, and edits made there come back. Customers linked to Shopify customers in several stores keep their note in Shopdesk only."
          error={errors.enabled?.[0] ?? errors.form?.[0] ?? errors.intent?.[0]}
        />
      </BlockStack>
    </Card>
  );
}

function ConnectStore() {
  const fetcher = useFetcher<typeof action>({ key: "create-link-code" });
  const result = fetcher.data?.intent === "create-link-code" ? fetcher.data : undefined;
  const link = result?.ok ? result : null;
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        Connect another store
      </Text>
      <Text as="p">
        Create a one-time code here, then enter it in Shopdesk in your other store. Both stores then share this
        workspace&apos;s inbox and customers.
      </Text>
      {link && (
        <Box padding="400" background="bg-surface-secondary" borderRadius="200">
          <BlockStack gap="200">
            <Text as="p" variant="bodySm" tone="subdued">
              Link code
            </Text>
            <Text as="p" variant="headingLg" fontWeight="bold" breakWord>
              <span style={{ fontFamily: "monospace", letterSpacing: "0.1em", userSelect: "all" }}>{link.code}</span>
            </Text>
            <Text as="p">
              Open Shopdesk in the other store&apos;s admin → Settings → Join a workspace, and enter this code. It works
              once and expires in {link.minutes} {link.minutes === 1 ? "minute" : "minutes"} ({link.expiresAt}).
            </Text>
          </BlockStack>
        </Box>
      )}
      {result && !result.ok && (
        <Banner tone="critical">
          <p>{Object.values(result.errors).flat()[0] ?? "The code could not be created."}</p>
        </Banner>
      )}
      <InlineStack>
        <Button
          onClick={() => fetcher.submit({ intent: "create-link-code" }, { method: "post" })}
          loading={fetcher.state !== "idle"}
        >
          {link ? "Create a new code" : "Create a link code"}
        </Button>
      </InlineStack>
    </BlockStack>
  );
}

/** A move's success banner, while the store is still where that move put it. */
const stillIn = <T extends { workspaceName: string }>(moved: T | null, workspaceName: string) =>
  moved && moved.workspaceName === workspaceName ? moved : null;

function JoinWorkspace({ workspaceName }: { workspaceName: string }) {
  const fetcher = useFetcher<typeof action>({ key: "join-workspace" });
  const [code, setCode] = useState("");
  const [clientError, setClientError] = useState<string | null>(null);
  const result = fetcher.data?.intent === "join-workspace" ? fetcher.data : undefined;
  const joined = stillIn(result?.ok ? result : null, workspaceName);
  const serverError = result && !result.ok ? (result.errors.code?.[0] ?? result.errors.form?.[0]) : undefined;

  // The action's own schema checks the field first, so an empty code never makes a round trip.
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const parsed = JoinWorkspaceFormSchema.safeParse({ intent: "join-workspace", code });
    if (!parsed.success) {
      event.preventDefault();
      setClientError(fieldErrorsOf(parsed.error).code?.[0] ?? "Check the code");
      return;
    }
    setClientError(null);
  };

  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        Join a workspace
      </Text>
      {joined && (
        <Banner tone="success" title={`This store joined the workspace ${joined.workspaceName}`}>
          <p>
            {joined.mergedCustomers === 0
              ? "No customers needed merging."
              : `${formatCount(joined.mergedCustomers)} ${joined.mergedCustomers === 1 ? "customer was" : "customers were"} merged by email.`}
          </p>
        </Banner>
      )}
      <fetcher.Form method="post" onSubmit={onSubmit}>
        <input type="hidden" name="intent" value="join-workspace" />
        <BlockStack gap="200">
          <TextField
            label="Link code from your other store"
            name="code"
            value={code}
            onChange={(value) => {
              setCode(value);
              setClientError(null);
            }}
            autoComplete="off"
            helpText="Create the code in Shopdesk in the store whose workspace you want to join (Settings → Connect another store). This store's customers go with it and are merged with that workspace's customers by email. Customers it shares with stores staying behind are copied, with their notes; those stores keep theirs."
            error={clientError ?? (fetcher.state === "idle" ? serverError : undefined)}
          />
          <InlineStack>
            <Button submit loading={fetcher.state !== "idle"}>
              Join workspace
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </BlockStack>
  );
}

function LeaveWorkspace({ storeName, workspaceName }: { storeName: string; workspaceName: string }) {
  const fetcher = useFetcher<typeof action>({ key: "leave-workspace" });
  const [confirming, setConfirming] = useState(false);
  const result = fetcher.data?.intent === "leave-workspace" ? fetcher.data : undefined;
  const error = result && !result.ok ? Object.values(result.errors).flat()[0] : undefined;
  const leave = () => {
    fetcher.submit({ intent: "leave-workspace" }, { method: "post" });
    setConfirming(false);
  };
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        Leave this workspace
      </Text>
      <Text as="p">
        {storeName} gets a workspace of its own. Its customers go with it; the other stores keep theirs.
      </Text>
      {error && (
        <Banner tone="critical">
          <p>{error}</p>
        </Banner>
      )}
      <InlineStack>
        <Button tone="critical" onClick={() => setConfirming(true)} loading={fetcher.state !== "idle"}>
          Leave this workspace
        </Button>
      </InlineStack>
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Take ${storeName} out of ${workspaceName}?`}
        primaryAction={{ content: "Leave workspace", destructive: true, onAction: leave }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirming(false) }]}
      >
        <Modal.Section>
          <BlockStack gap="200">
            <Text as="p">
              {storeName} will get a workspace of its own, with its own inbox and customer list. Its customers and their
              orders go with it.
            </Text>
            <Text as="p">
              Customers who also bought from the other stores stay in {workspaceName} for those stores, and {storeName}{" "}
              keeps a copy of them with their notes. Nothing of the other stores moves.
            </Text>
            <Text as="p">To share a workspace again later, connect the stores with a new link code.</Text>
          </BlockStack>
        </Modal.Section>
      </Modal>
    </BlockStack>
  );
}

function LeftWorkspaceBanner({ workspaceName }: { workspaceName: string }) {
  const fetcher = useFetcher<typeof action>({ key: "leave-workspace" });
  const left = stillIn(
    fetcher.data?.intent === "leave-workspace" && fetcher.data.ok ? fetcher.data : null,
    workspaceName,
  );
  if (!left) return null;
  return (
    <Banner tone="success" title={`This store now has its own workspace, ${left.workspaceName}`}>
      <p>
        {formatCount(left.customers)} {left.customers === 1 ? "customer" : "customers"} came with it.
      </p>
    </Banner>
  );
}

export default function Settings() {
  const { shop, workspace, integrationsPaused } = useLoaderData<typeof loader>();
  // A settings area of its own (app.settings.email.tsx) shows instead of this page.
  const area = useOutlet();
  if (area) return area;
  return (
    <Page>
      <TitleBar title="Settings" />
      <Layout>
        {integrationsPaused && (
          <Layout.Section>
            <IntegrationsPausedBanner text={integrationsPaused} />
          </Layout.Section>
        )}
        <Layout.AnnotatedSection
          id="email"
          title="Email"
          description="The address and server Shopdesk sends agents' replies from."
        >
          <Card>
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="p">Outgoing email (SMTP) for replies to email, portal and contact-form tickets.</Text>
              <Button url="/app/settings/email">Set up email</Button>
            </InlineStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="portal"
          title="Self-service portal"
          description="What shoppers can do from the launcher on your store: track, return, cancel, report an issue."
        >
          <Card>
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="p">Options, return window, sign-in, SMS provider and the launcher&apos;s look, per store.</Text>
              <Button url="/app/settings/portal">Set up the portal</Button>
            </InlineStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="business-hours"
          title="Business hours"
          description="When agents answer chat. Outside these hours the chat on your store shows as offline."
        >
          <Card>
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="p">Weekly hours, holidays and time zone; shoppers are told when to expect an answer.</Text>
              <Button url="/app/settings/business-hours">Set business hours</Button>
            </InlineStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="macros"
          title="Macros"
          description="Saved replies agents insert from the reply box, with the customer's details filled in."
        >
          <Card>
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="p">Reply templates and what they do to the ticket (close, tag, assign, priority).</Text>
              <Button url="/app/settings/macros">Manage macros</Button>
            </InlineStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="quick-answers"
          title="Quick answers"
          description="Answers shoppers get instantly in the help widget on your store, before they reach an agent."
        >
          <Card>
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="p">
                Common questions with follow-ups, in each language, and how often they spare a contact.
              </Text>
              <Button url="/app/settings/quick-answers">Manage quick answers</Button>
            </InlineStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="api"
          title="API keys"
          description="Keys other tools use to read and write this workspace through Shopdesk's REST API."
        >
          <Card>
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="p">Create a key per tool, see when each was last used, revoke one at once.</Text>
              <Button url="/app/settings/api">Manage API keys</Button>
            </InlineStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="widgets"
          title="Sidebar widgets"
          description="What your other tools know about a customer, shown beside their tickets and on their profile."
        >
          <Card>
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="p">Change what each widget shows, with a preview over real data.</Text>
              <Button url="/app/settings/widgets">Manage widgets</Button>
            </InlineStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="integrations"
          title="Integrations"
          description="Other tools Shopdesk calls when tickets change, with every call's result."
        >
          <Card>
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="p">See each integration&apos;s health and calls, replay a call, resume a paused one.</Text>
              <Button url="/app/settings/integrations">Manage integrations</Button>
            </InlineStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="customer-notes"
          title="Customer notes"
          description={`Applies to ${shop.name}. Each store in the workspace has its own setting.`}
        >
          <NotesSyncSetting enabled={shop.notesSyncEnabled} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="workspace"
          title="Workspace"
          description="Stores in one workspace share one inbox and one list of customers. Orders stay with their store."
        >
          <Card>
            <BlockStack gap="500">
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  {workspace.name}
                </Text>
                {workspace.shops.map((member) => (
                  <InlineStack key={member.domain} gap="200" blockAlign="center">
                    <Text as="span">{member.name}</Text>
                    <Text as="span" tone="subdued">
                      {member.domain}
                    </Text>
                    {member.current && <Badge tone="info">This store</Badge>}
                  </InlineStack>
                ))}
              </BlockStack>
              <LeftWorkspaceBanner workspaceName={workspace.name} />
              <ConnectStore />
              <JoinWorkspace workspaceName={workspace.name} />
              {workspace.canLeave && <LeaveWorkspace storeName={shop.name} workspaceName={workspace.name} />}
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

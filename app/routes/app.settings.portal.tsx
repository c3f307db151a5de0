import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useRevalidator, useRouteError } from "@remix-run/react";
import { SaveBar, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  Divider,
  FormLayout,
  InlineError,
  InlineStack,
  Layout,
  Link,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState, type ReactNode } from "react";
import { RouteErrorPage } from "~/components/ErrorPages";
import { SHOPPER_ORDER_STATUS_LABELS_EN } from "~/domain/order-status";
import { appEmbedsEditorUrl } from "~/domain/theme-app-embed";
import {
  BUILT_IN_ISSUE_OPTIONS,
  CANCEL_STATUSES,
  ISSUE_STATE_LABELS,
  ISSUE_STATES,
  issueOptionsFor,
  issueStateStatuses,
  MAX_ISSUE_OPTION_LENGTH,
  MAX_ISSUE_OPTIONS,
  PortalSettingsFormSchema,
  SavePortalSettingsFormSchema,
  type IssueState,
  type PortalSettingsView,
} from "~/domain/portal-settings";
import { fieldErrorsOf, type FieldErrors } from "~/lib/form-errors";
import { readForm } from "~/lib/form-data.server";
import { requireInstalledShop } from "~/models/shop.server";
import {
  handlePortalSettingsForm,
  portalSettingsPage,
  type PortalStore,
  type StorefrontCheck,
} from "~/services/portal/portal-settings.server";
import { authenticate } from "~/shopify.server";

// Settings → Self-service portal, a settings area (shown by app.settings.tsx in place of itself):
// what shoppers can do in the storefront portal of one store and how they sign in. The launcher's
// look is the app embed's theme-editor settings (the storefront reads those), so this page links
// there. A drill-down page (decision 016): the admin's title bar names it. The SMS auth token is
// write-only: the page only knows one is saved.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const shopId = new URL(request.url).searchParams.get("shopId")?.slice(0, 64) || null;
  const page = await portalSettingsPage(shop, shopId, admin);
  if (!page) throw new Response("Store not found", { status: 404 });
  // `storefront` streams in once Shopify answers (or the check gives up): the form shows at once.
  return page;
};

type Intent = "save" | "remove-sms-token";
const intentOf = (value: unknown): Intent | null =>
  value === "save" || value === "remove-sms-token" ? (value as Intent) : null;

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const form = await readForm(request, PortalSettingsFormSchema, "portal settings");
  if (!form.ok) {
    return data(
      { ok: false as const, intent: intentOf(form.fields.intent), errors: form.errors },
      { status: form.status },
    );
  }
  const result = await handlePortalSettingsForm(shop, form.data);
  if (!result.ok) {
    const { status, ...refused } = result;
    return data(refused, { status });
  }
  return result;
};

export function ErrorBoundary() {
  return (
    <RouteErrorPage
      error={useRouteError()}
      embedded
      notFound={{
        title: "Store not found",
        heading: "We couldn't find this store",
        message: "It isn't one of your workspace's stores, or Shopdesk is no longer installed on it.",
        action: { content: "Back to portal settings", url: "/app/settings/portal" },
      }}
    />
  );
}

type ActionData = NonNullable<ReturnType<typeof useFetcher<typeof action>>["data"]>;
const errorsOf = (result: ActionData | undefined): FieldErrors => (result && !result.ok ? result.errors : {});

// ---- Form state ---------------------------------------------------------------------------------

interface FormValues {
  trackEnabled: boolean;
  returnEnabled: boolean;
  returnWindowFrom: string;
  returnWindowDays: string;
  loopReturnsUrl: string;
  cancelEnabled: boolean;
  cancelStatuses: string[];
  cancelRefund: boolean;
  cancelRestock: boolean;
  reportIssueEnabled: boolean;
  issueLists: Record<IssueState, string[]>;
  signInEmailCode: boolean;
  signInSmsCode: boolean;
  signInOrderNumber: boolean;
  smsAccountSid: string;
  smsFrom: string;
  smsAuthToken: string;
  smsApiBaseUrl: string;
}

const initialValues = (settings: PortalSettingsView): FormValues => ({
  trackEnabled: settings.trackEnabled,
  returnEnabled: settings.returnEnabled,
  returnWindowFrom: settings.returnWindowFrom,
  returnWindowDays: String(settings.returnWindowDays),
  loopReturnsUrl: settings.loopReturnsUrl ?? "",
  cancelEnabled: settings.cancelEnabled,
  cancelStatuses: settings.cancelStatuses,
  cancelRefund: settings.cancelRefund,
  cancelRestock: settings.cancelRestock,
  reportIssueEnabled: settings.reportIssueEnabled,
  issueLists: Object.fromEntries(
    ISSUE_STATES.map((state) => [state, [...issueOptionsFor(settings.issueOptions, state)]]),
  ) as Record<IssueState, string[]>,
  signInEmailCode: settings.signInEmailCode,
  signInSmsCode: settings.signInSmsCode,
  signInOrderNumber: settings.signInOrderNumber,
  smsAccountSid: settings.smsAccountSid ?? "",
  smsFrom: settings.smsFrom ?? "",
  smsAuthToken: "",
  smsApiBaseUrl: settings.smsApiBaseUrl ?? "",
});

/** The form as the action reads it: one string per field. */
const formFields = (shopId: string, values: FormValues): Record<string, string> => ({
  intent: "save",
  shopId,
  trackEnabled: String(values.trackEnabled),
  returnEnabled: String(values.returnEnabled),
  returnWindowFrom: values.returnWindowFrom,
  returnWindowDays: values.returnWindowDays,
  loopReturnsUrl: values.loopReturnsUrl,
  cancelEnabled: String(values.cancelEnabled),
  cancelStatuses: values.cancelStatuses.join(","),
  cancelRefund: String(values.cancelRefund),
  cancelRestock: String(values.cancelRestock),
  reportIssueEnabled: String(values.reportIssueEnabled),
  issueOptions: JSON.stringify(values.issueLists),
  signInEmailCode: String(values.signInEmailCode),
  signInSmsCode: String(values.signInSmsCode),
  signInOrderNumber: String(values.signInOrderNumber),
  smsAccountSid: values.smsAccountSid,
  smsFrom: values.smsFrom,
  smsAuthToken: values.smsAuthToken,
  smsApiBaseUrl: values.smsApiBaseUrl,
});

const FIELD_NAMES: Record<string, string> = {
  returnWindowDays: "Return window",
  returnWindowFrom: "Return window",
  loopReturnsUrl: "Loop Returns portal",
  cancelStatuses: "Cancel",
  issueOptions: "Report an issue",
  signIn: "Sign-in",
  smsAccountSid: "Account SID",
  smsFrom: "Sender number",
  smsAuthToken: "Auth token",
  smsApiBaseUrl: "API address",
  shopId: "Store",
};

// ---- Storefront warnings ------------------------------------------------------------------------

function StorefrontNotice({ check, store }: { check: StorefrontCheck; store: PortalStore }) {
  const revalidator = useRevalidator();
  const editorUrl = appEmbedsEditorUrl(store.domain);
  switch (check.kind) {
    case "ready":
      return (
        <Text as="p" tone="subdued">
          The portal launcher is on in your live theme, {check.themeName}.
        </Text>
      );
    case "embed-off":
      return (
        <Banner
          tone="warning"
          title={`Shoppers can't open the portal on ${store.name} yet`}
          action={{ content: "Turn it on in the theme editor", url: check.fixUrl, target: "_top" }}
        >
          <p>
            The Shopdesk portal app embed is off in your live theme, {check.themeName}. In the theme editor, open App
            embeds, switch on Shopdesk portal, then save the theme.
          </p>
        </Banner>
      );
    case "no-theme":
      return (
        <Banner tone="info" title={`${store.name} has no published theme`}>
          <p>
            The portal launcher is part of your online store&apos;s theme. Publish a theme, then turn on the Shopdesk
            portal app embed in the theme editor.
          </p>
        </Banner>
      );
    case "missing-access":
      return (
        <Banner tone="warning" title="Shopdesk can't check your theme yet">
          <p>
            Open Shopdesk from Apps in {store.name}&apos;s Shopify admin and accept the permission to read themes, so
            this page can tell you whether the portal launcher is on.
          </p>
        </Banner>
      );
    case "connection-broken":
      return check.current ? (
        <Banner
          tone="critical"
          title={`Shopify refused Shopdesk's access to ${store.name}`}
          action={{ content: "Reload", onAction: () => window.location.reload() }}
        >
          <p>
            Reload this page to reconnect. If this message comes back, open Shopdesk again from Apps in your Shopify
            admin; if it still fails, reinstall Shopdesk. Until then the portal can&apos;t show your shoppers&apos;
            orders.
          </p>
        </Banner>
      ) : (
        <Banner
          tone="critical"
          title={`Shopify refused Shopdesk's access to ${store.name}`}
          action={{ content: `Open ${store.name}'s admin`, url: `https://${store.domain}/admin/apps`, target: "_top" }}
        >
          <p>
            Open Shopdesk from Apps in {store.name}&apos;s Shopify admin to reconnect it; if that fails, reinstall
            Shopdesk there. Until then the portal can&apos;t show that store&apos;s orders. You can still change its
            settings here.
          </p>
        </Banner>
      );
    case "unknown":
      return (
        <InlineStack gap="200" blockAlign="center">
          <Text as="p" tone="subdued">
            We couldn&apos;t check your theme just now. Make sure the Shopdesk portal app embed is on in the{" "}
            <Link url={editorUrl} target="_top">
              theme editor
            </Link>
            .
          </Text>
          <Button variant="plain" onClick={() => revalidator.revalidate()} loading={revalidator.state === "loading"}>
            Check again
          </Button>
        </InlineStack>
      );
  }
}

/**
 * The check streams in after the page. Awaited in an effect rather than with <Suspense>: Polaris
 * updates its providers while the page hydrates, which would throw a Suspense boundary still
 * waiting for its data back to client rendering (React's "received an update before it finished
 * hydrating"). A later check (a revalidation) replaces the shown one only once it has answered.
 */
function StorefrontStatus({ storefront, store }: { storefront: Promise<StorefrontCheck>; store: PortalStore }) {
  const [check, setCheck] = useState<StorefrontCheck | null>(null);
  useEffect(() => {
    let current = true;
    storefront.then(
      (answer) => current && setCheck(answer),
      () => current && setCheck({ kind: "unknown" }),
    );
    return () => {
      current = false;
    };
  }, [storefront]);
  if (!check) {
    return (
      <Text as="p" tone="subdued">
        Checking your live theme…
      </Text>
    );
  }
  return <StorefrontNotice check={check} store={store} />;
}

// ---- Sections -----------------------------------------------------------------------------------

type SetField = <K extends keyof FormValues>(field: K, value: FormValues[K]) => void;

function Nested({ children }: { children: ReactNode }) {
  return (
    <Box paddingInlineStart="800">
      <BlockStack gap="300">{children}</BlockStack>
    </Box>
  );
}

function IssueList({
  state,
  labels,
  onChange,
}: {
  state: IssueState;
  labels: string[];
  onChange: (labels: string[]) => void;
}) {
  const builtIn = BUILT_IN_ISSUE_OPTIONS[state];
  const isBuiltIn = labels.length === builtIn.length && labels.every((label, index) => label === builtIn[index]);
  return (
    <BlockStack gap="200">
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <BlockStack gap="050">
          <Text as="h3" variant="headingSm">
            {ISSUE_STATE_LABELS[state]}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {issueStateStatuses(state)}
          </Text>
        </BlockStack>
        {isBuiltIn ? (
          <Badge>Built-in list</Badge>
        ) : (
          <Button variant="plain" onClick={() => onChange([...builtIn])}>
            Reset to the built-in list
          </Button>
        )}
      </InlineStack>
      {labels.length === 0 && (
        <Text as="p" tone="subdued">
          No options: Report an issue isn&apos;t offered for these orders.
        </Text>
      )}
      {labels.map((label, index) => (
        <TextField
          key={index}
          label={`${ISSUE_STATE_LABELS[state]}, option ${index + 1}`}
          labelHidden
          value={label}
          maxLength={MAX_ISSUE_OPTION_LENGTH}
          autoComplete="off"
          onChange={(value) => onChange(labels.map((old, at) => (at === index ? value : old)))}
          connectedRight={
            <Button
              accessibilityLabel={`Remove “${label || `option ${index + 1}`}”`}
              onClick={() => onChange(labels.filter((_, at) => at !== index))}
            >
              Remove
            </Button>
          }
        />
      ))}
      {labels.length < MAX_ISSUE_OPTIONS && (
        <InlineStack>
          <Button variant="plain" onClick={() => onChange([...labels, ""])}>
            Add an option
          </Button>
        </InlineStack>
      )}
    </BlockStack>
  );
}

function SettingsForm({
  store,
  settings,
  secretsProblem,
}: {
  store: PortalStore;
  settings: PortalSettingsView;
  secretsProblem: string | null;
}) {
  const fetcher = useFetcher<typeof action>({ key: `portal-save-${store.id}` });
  const removeFetcher = useFetcher<typeof action>({ key: `portal-remove-token-${store.id}` });
  const shopify = useAppBridge();
  const [values, setValues] = useState(() => initialValues(settings));
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const result = fetcher.data?.intent === "save" ? fetcher.data : undefined;
  const removed = removeFetcher.data?.intent === "remove-sms-token" ? removeFetcher.data : undefined;
  const errors: FieldErrors = {
    ...(fetcher.state === "idle" ? errorsOf(result) : {}),
    ...clientErrors,
  };
  const removeError = removeFetcher.state === "idle" ? errorsOf(removed).smsAuthToken?.[0] : undefined;
  const saved = result?.ok ? result.settings : null;
  // The loader runs again after each submission, before the fetcher is idle: `settings` is current.
  const tokenSet = settings.smsAuthTokenSet;

  useEffect(() => {
    if (!saved) return;
    shopify.toast.show("Portal settings saved");
    // What the server stored, tidied (trimmed text, the phone number without spaces).
    setValues(initialValues(saved));
  }, [saved, shopify]);

  useEffect(() => {
    if (removed?.ok) shopify.toast.show("SMS auth token removed");
  }, [removed, shopify]);

  const set: SetField = (field, value) => {
    setValues((current) => ({ ...current, [field]: value }));
    setClientErrors(({ [field]: _dropped, ...rest }) => rest);
  };

  const save = () => {
    const form = formFields(store.id, values);
    // The action's own schema first: a mistyped field never makes a round trip.
    const parsed = SavePortalSettingsFormSchema.safeParse(form);
    if (!parsed.success) {
      setClientErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setClientErrors({});
    fetcher.submit(form, { method: "post" });
  };

  const discard = () => {
    setValues(initialValues(settings));
    setClientErrors({});
  };
  // Unsaved changes: App Bridge's save bar offers Save and Discard, as Shopify's own settings do.
  const dirty =
    JSON.stringify(formFields(store.id, values)) !== JSON.stringify(formFields(store.id, initialValues(settings)));

  const problems = Object.entries(errors).flatMap(([field, messages]) =>
    (messages ?? []).map((message) => (FIELD_NAMES[field] ? `${FIELD_NAMES[field]}: ${message}` : message)),
  );

  return (
    <BlockStack gap="500">
      {problems.length > 0 && (
        <Banner tone="critical" title="Nothing was saved. Fix these and save again:">
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </Banner>
      )}
      <Layout>
        <Layout.AnnotatedSection
          id="portal-options"
          title="What shoppers can do"
          description="The buttons shoppers see next to each order. Return and Cancel send a request your team approves in the inbox; the order changes in Shopify only then."
        >
          <Card>
            <BlockStack gap="400">
              <Checkbox
                label="Track"
                checked={values.trackEnabled}
                onChange={(checked) => set("trackEnabled", checked)}
                helpText="The order's timeline: placed, paid, shipped, carrier updates, with the carrier and tracking link."
              />
              <Divider />
              <Checkbox
                label="Return"
                checked={values.returnEnabled}
                onChange={(checked) => set("returnEnabled", checked)}
                helpText="Shoppers pick the items, quantities and a reason. Shown only for orders still inside the return window."
              />
              {(values.returnEnabled || errors.returnWindowDays || errors.loopReturnsUrl) && (
                <Nested>
                  <ChoiceList
                    title="The return window starts when the order was"
                    choices={[
                      { label: "Delivered", value: "delivered" },
                      { label: "Placed", value: "created" },
                    ]}
                    selected={[values.returnWindowFrom]}
                    onChange={([from]) => set("returnWindowFrom", from ?? "delivered")}
                    error={errors.returnWindowFrom?.[0]}
                  />
                  <TextField
                    label="Return window"
                    type="number"
                    min={1}
                    max={365}
                    suffix="days"
                    value={values.returnWindowDays}
                    onChange={(value) => set("returnWindowDays", value)}
                    autoComplete="off"
                    helpText={`Shoppers can ask for a return up to ${values.returnWindowDays || "N"} days after the order was ${values.returnWindowFrom === "created" ? "placed" : "delivered"}. From 1 to 365.`}
                    error={errors.returnWindowDays?.[0]}
                  />
                  <TextField
                    label="Loop Returns portal (optional)"
                    type="url"
                    value={values.loopReturnsUrl}
                    onChange={(value) => set("loopReturnsUrl", value)}
                    autoComplete="off"
                    placeholder="https://yourstore.loopreturns.com"
                    helpText="If you use Loop Returns, Return sends shoppers to your Loop portal instead of creating a request here."
                    error={errors.loopReturnsUrl?.[0]}
                  />
                </Nested>
              )}
              <Divider />
              <Checkbox
                label="Cancel"
                checked={values.cancelEnabled}
                onChange={(checked) => set("cancelEnabled", checked)}
                helpText="Shoppers ask to cancel an order that hasn't gone far yet."
              />
              {(values.cancelEnabled || errors.cancelStatuses) && (
                <Nested>
                  <ChoiceList
                    title="Offer Cancel while the order is"
                    allowMultiple
                    choices={CANCEL_STATUSES.map((status) => ({
                      label: SHOPPER_ORDER_STATUS_LABELS_EN[status],
                      value: status,
                    }))}
                    selected={values.cancelStatuses}
                    onChange={(selected) => set("cancelStatuses", selected)}
                    error={errors.cancelStatuses?.[0]}
                  />
                  <Checkbox
                    label="Refund the shopper when you approve a cancellation"
                    checked={values.cancelRefund}
                    onChange={(checked) => set("cancelRefund", checked)}
                    helpText="Shopify pays back what was paid, to the original payment method. Off: refund it yourself in Shopify."
                  />
                  <Checkbox
                    label="Restock the items when you approve a cancellation"
                    checked={values.cancelRestock}
                    onChange={(checked) => set("cancelRestock", checked)}
                  />
                </Nested>
              )}
              <Divider />
              <Checkbox
                label="Report an issue"
                checked={values.reportIssueEnabled}
                onChange={(checked) => set("reportIssueEnabled", checked)}
                helpText="Shoppers choose what went wrong from a list that fits the order's state (edit the lists below), then describe it."
              />
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="issue-options"
          title="Report an issue options"
          description="What shoppers can choose from, for each kind of order. Leave a list empty to not offer Report an issue for those orders. The built-in lists are shown in the shopper's language; options you write are shown as you write them."
        >
          <Card>
            <BlockStack gap="500">
              {errors.issueOptions && <InlineError message={errors.issueOptions.join(" ")} fieldID="issue-options" />}
              {ISSUE_STATES.map((state, index) => (
                <BlockStack key={state} gap="400">
                  {index > 0 && <Divider />}
                  <IssueList
                    state={state}
                    labels={values.issueLists[state]}
                    onChange={(labels) => set("issueLists", { ...values.issueLists, [state]: labels })}
                  />
                </BlockStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="sign-in"
          title="Sign-in"
          description="How shoppers prove who they are before they see their orders. Shoppers signed in to your store skip this."
        >
          <Card>
            <BlockStack gap="300">
              <Checkbox
                label="A 6-digit code by email"
                checked={values.signInEmailCode}
                onChange={(checked) => set("signInEmailCode", checked)}
                helpText="Sent from your outgoing email (Settings → Email)."
              />
              <Checkbox
                label="A 6-digit code by SMS"
                checked={values.signInSmsCode}
                onChange={(checked) => set("signInSmsCode", checked)}
                helpText="Offered when the shopper's phone number is known. Needs the SMS provider below."
              />
              <Checkbox
                label="Email and order number"
                checked={values.signInOrderNumber}
                onChange={(checked) => set("signInOrderNumber", checked)}
                helpText="No code: the shopper sees only the order they named."
              />
              {errors.signIn && <InlineError message={errors.signIn[0]!} fieldID="sign-in" />}
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="sms-provider"
          title="SMS provider"
          description="Sends sign-in codes by SMS. Twilio, or any provider with a Twilio-compatible API."
        >
          <Card>
            <FormLayout>
              <FormLayout.Group>
                <TextField
                  label="Account SID"
                  value={values.smsAccountSid}
                  onChange={(value) => set("smsAccountSid", value)}
                  autoComplete="off"
                  placeholder="AC0123456789abcdef…"
                  helpText="From your provider's console."
                  error={errors.smsAccountSid?.[0]}
                />
                <TextField
                  label="Sender number"
                  type="tel"
                  value={values.smsFrom}
                  onChange={(value) => set("smsFrom", value)}
                  autoComplete="off"
                  placeholder="+14155550100"
                  helpText="The number codes come from, with + and the country code."
                  error={errors.smsFrom?.[0]}
                />
              </FormLayout.Group>
              <BlockStack gap="200">
                <TextField
                  label="Auth token"
                  type="password"
                  value={values.smsAuthToken}
                  onChange={(value) => set("smsAuthToken", value)}
                  autoComplete="new-password"
                  placeholder={tokenSet ? "Saved (leave blank to keep it)" : ""}
                  helpText={secretsProblem ?? "Stored encrypted. Shopdesk never shows it again."}
                  error={errors.smsAuthToken?.[0] ?? removeError}
                />
                {tokenSet && (
                  <InlineStack gap="200" blockAlign="center">
                    <Badge tone="success">Saved</Badge>
                    <Button
                      variant="plain"
                      tone="critical"
                      loading={removeFetcher.state !== "idle"}
                      onClick={() =>
                        removeFetcher.submit({ intent: "remove-sms-token", shopId: store.id }, { method: "post" })
                      }
                    >
                      Remove the saved token
                    </Button>
                  </InlineStack>
                )}
              </BlockStack>
              <TextField
                label="API address (optional)"
                type="url"
                value={values.smsApiBaseUrl}
                onChange={(value) => set("smsApiBaseUrl", value)}
                autoComplete="off"
                placeholder="https://api.twilio.com"
                helpText="Only for a Twilio-compatible provider other than Twilio: its API address, starting with https://."
                error={errors.smsApiBaseUrl?.[0]}
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="launcher"
          title="Launcher"
          description="The button on every page of your store that opens the portal."
        >
          <Card>
            <BlockStack gap="300">
              <Text as="p">
                The launcher&apos;s colour, position and label are set in the theme editor, in the Shopdesk portal app
                embed&apos;s settings, so you can preview them on your store as you change them.
              </Text>
              <InlineStack>
                <Button url={appEmbedsEditorUrl(store.domain)} target="_top">
                  Open the theme editor
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
      <SaveBar id={`portal-settings-save-bar-${store.id}`} open={dirty}>
        {/* eslint-disable-next-line react/no-unknown-property -- ui-save-bar reads App Bridge's `variant` */}
        <button variant="primary" onClick={save} loading={fetcher.state !== "idle" ? "" : undefined}>
          Save
        </button>
        <button onClick={discard}>Discard</button>
      </SaveBar>
      <InlineStack align="end">
        <Button variant="primary" onClick={save} loading={fetcher.state !== "idle"}>
          Save
        </Button>
      </InlineStack>
    </BlockStack>
  );
}

export default function PortalSettings() {
  const { stores, store, settings, secretsProblem, storefront } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  return (
    <Page backAction={{ content: "Settings", url: "/app/settings" }}>
      <TitleBar title="Self-service portal" />
      <BlockStack gap="500">
        {stores.length > 1 && (
          <Card>
            <Select
              label="Store"
              options={stores.map((option) => ({ label: option.name, value: option.id }))}
              value={store.id}
              onChange={(shopId) => navigate(`/app/settings/portal?shopId=${encodeURIComponent(shopId)}`)}
              helpText="Each store has its own portal settings."
            />
          </Card>
        )}
        <StorefrontStatus key={`status-${store.id}`} storefront={storefront} store={store} />
        {/* A store of its own form state: switching stores starts from that store's settings. */}
        <SettingsForm key={`form-${store.id}`} store={store} settings={settings} secretsProblem={secretsProblem} />
      </BlockStack>
    </Page>
  );
}

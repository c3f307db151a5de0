import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { formatShopTime } from "~/components/formatting";
import {
  MAIL_SECURITY,
  MAIL_SECURITY_LABELS,
  MailSettingsFormSchema,
  USUAL_PORTS,
  type MailSecurity,
  type MailSettingsView,
} from "~/domain/mail-settings";
import { fieldErrorsOf, type FieldErrors } from "~/lib/form-errors";
import { readForm } from "~/lib/form-data.server";
import { secretsKeyProblem } from "~/lib/secrets.server";
import { getMailSettings, saveMailSettings } from "~/models/mail-settings.server";
import { findShop, requireInstalledShop } from "~/models/shop.server";
import { agentForRequest } from "~/services/agents.server";
import { sendTestEmail } from "~/services/mail/test-email.server";
import { authenticate } from "~/shopify.server";

// Settings → Email: the workspace's outgoing email (SMTP), which sends agents' replies to email,
// portal and contact-form tickets. The password is write-only: the page only knows one is saved.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = await requireInstalledShop(auth.session.shop, auth.admin);
  const [settings, agent] = await Promise.all([getMailSettings(shop.workspaceId), agentForRequest(request, auth)]);
  return {
    settings,
    // The signed-in agent's address: where a test goes unless the merchant types another.
    testRecipient: agent?.email ?? "",
    passwordProblem: secretsKeyProblem(),
    timeZone: shop.ianaTimezone,
  };
};

type Intent = "save" | "send-test";

const refused = (intent: Intent | null, errors: FieldErrors, status: number) =>
  data({ intent, ok: false as const, errors }, { status });

export const action = async ({ request }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = await requireInstalledShop(auth.session.shop, auth.admin);
  const form = await readForm(request, MailSettingsFormSchema, "email settings");
  if (!form.ok) {
    const { intent } = form.fields;
    return refused(intent === "save" || intent === "send-test" ? intent : null, form.errors, form.status);
  }
  if (form.data.intent === "save") {
    const { intent, ...fields } = form.data;
    const saved = await saveMailSettings(shop.workspaceId, fields);
    if (!saved.ok) return refused(intent, saved.errors, saved.status);
    return { intent, ok: true as const, settings: saved.settings };
  }
  if (!(await getMailSettings(shop.workspaceId))) {
    return refused("send-test", { form: ["Save your email settings first, then send a test."] }, 409);
  }
  const workspace = (await findShop(shop.domain))?.workspace.name ?? shop.domain;
  const result = await sendTestEmail(shop.workspaceId, form.data.to, workspace);
  // A test the server refused is an answer, not a bad request: its words go on the page.
  return {
    intent: form.data.intent,
    ok: true as const,
    to: form.data.to,
    delivered: result.delivered,
    error: result.delivered ? null : result.error,
    settings: await getMailSettings(shop.workspaceId),
  };
};

type ActionData = NonNullable<ReturnType<typeof useFetcher<typeof action>>["data"]>;

const errorsOf = (result: ActionData | undefined): FieldErrors => (result && !result.ok ? result.errors : {});

interface FormValues {
  host: string;
  port: string;
  security: MailSecurity;
  username: string;
  password: string;
  fromAddress: string;
  fromName: string;
}

const initialValues = (settings: MailSettingsView | null): FormValues => ({
  host: settings?.host ?? "",
  port: String(settings?.port ?? USUAL_PORTS.starttls),
  security: settings?.security ?? "starttls",
  username: settings?.username ?? "",
  password: "",
  fromAddress: settings?.fromAddress ?? "",
  fromName: settings?.fromName ?? "",
});

function SettingsForm({
  settings,
  passwordProblem,
}: {
  settings: MailSettingsView | null;
  passwordProblem: string | null;
}) {
  const fetcher = useFetcher<typeof action>({ key: "mail-save" });
  const shopify = useAppBridge();
  const [values, setValues] = useState(() => initialValues(settings));
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const result = fetcher.data?.intent === "save" ? fetcher.data : undefined;
  const errors = { ...(fetcher.state === "idle" ? errorsOf(result) : {}), ...clientErrors };
  const saved = result?.ok ? result.settings : null;
  const hasPassword = (saved ?? settings)?.hasPassword ?? false;

  useEffect(() => {
    if (!saved) return;
    shopify.toast.show("Email settings saved");
    setValues((current) => ({ ...current, password: "" }));
  }, [saved, shopify]);

  const set = (field: keyof FormValues) => (value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    setClientErrors(({ [field]: _dropped, ...rest }) => rest);
  };

  const save = () => {
    const form = { intent: "save" as const, ...values };
    // The action's own schema first: a mistyped port or address never makes a round trip.
    const parsed = MailSettingsFormSchema.safeParse(form);
    if (!parsed.success) {
      setClientErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setClientErrors({});
    fetcher.submit(form, { method: "post" });
  };

  return (
    <Card>
      <BlockStack gap="400">
        {errors.form && (
          <Banner tone="critical">
            <p>{errors.form[0]}</p>
          </Banner>
        )}
        <FormLayout>
          <FormLayout.Group>
            <TextField
              label="SMTP server"
              value={values.host}
              onChange={set("host")}
              autoComplete="off"
              placeholder="smtp.example.com"
              helpText="From your email provider's SMTP settings."
              error={errors.host?.[0]}
            />
            <TextField
              label="Port"
              type="number"
              value={values.port}
              onChange={set("port")}
              autoComplete="off"
              min={1}
              max={65535}
              error={errors.port?.[0]}
            />
          </FormLayout.Group>
          <Select
            label="Security"
            options={MAIL_SECURITY.map((security) => ({ label: MAIL_SECURITY_LABELS[security], value: security }))}
            value={values.security}
            onChange={(value) => {
              const security = value as MailSecurity;
              // Suggest the usual port when the port is still the previous choice's usual one.
              const usual = Object.values(USUAL_PORTS).map(String).includes(values.port);
              setValues((current) => ({
                ...current,
                security,
                port: usual ? String(USUAL_PORTS[security]) : current.port,
              }));
            }}
            error={errors.security?.[0]}
          />
          <FormLayout.Group>
            <TextField
              label="User name"
              value={values.username}
              onChange={set("username")}
              autoComplete="off"
              helpText="Leave blank if the server does not ask for a login."
              error={errors.username?.[0]}
            />
            <TextField
              label="Password"
              type="password"
              value={values.password}
              onChange={set("password")}
              autoComplete="new-password"
              placeholder={hasPassword ? "Saved (leave blank to keep it)" : ""}
              helpText={passwordProblem ?? "Stored encrypted. Shopdesk never shows it again."}
              error={errors.password?.[0]}
            />
          </FormLayout.Group>
          <FormLayout.Group>
            <TextField
              label="From address"
              type="email"
              value={values.fromAddress}
              onChange={set("fromAddress")}
              autoComplete="off"
              placeholder="support@yourstore.com"
              helpText="Customers see this address and their replies come back to it."
              error={errors.fromAddress?.[0]}
            />
            <TextField
              label="From name"
              value={values.fromName}
              onChange={set("fromName")}
              autoComplete="off"
              placeholder="Your store's support team"
              error={errors.fromName?.[0]}
            />
          </FormLayout.Group>
        </FormLayout>
        <InlineStack align="end">
          <Button variant="primary" onClick={save} loading={fetcher.state !== "idle"}>
            Save
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function TestEmail({
  settings,
  testRecipient,
  timeZone,
}: {
  settings: MailSettingsView | null;
  testRecipient: string;
  timeZone: string | null;
}) {
  const fetcher = useFetcher<typeof action>({ key: "mail-test" });
  const saveFetcher = useFetcher<typeof action>({ key: "mail-save" });
  const [to, setTo] = useState(testRecipient);
  const result = fetcher.data?.intent === "send-test" ? fetcher.data : undefined;
  const savedNow = saveFetcher.data?.intent === "save" && saveFetcher.data.ok ? saveFetcher.data.settings : null;
  const current = (result?.ok ? result.settings : null) ?? savedNow ?? settings;
  const errors = errorsOf(result);
  const lastTested = formatShopTime(current?.lastTestedAt ?? null, timeZone);

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="p">Send a test with the saved settings to check that your customers will get replies.</Text>
        {result?.ok && result.delivered && (
          <Banner tone="success" title={`Test email sent to ${result.to}`}>
            <p>The server accepted it. Check that it arrived (and not in spam).</p>
          </Banner>
        )}
        {result?.ok && !result.delivered && (
          <Banner tone="critical" title="The test email was not sent">
            <p>{result.error}</p>
          </Banner>
        )}
        {!result && current?.lastTestError && (
          <Banner tone="warning" title="The last test failed">
            <p>{current.lastTestError}</p>
          </Banner>
        )}
        <TextField
          label="Send the test to"
          type="email"
          value={to}
          onChange={setTo}
          autoComplete="email"
          error={errors.to?.[0] ?? errors.form?.[0]}
        />
        <InlineStack align="space-between" blockAlign="center">
          {lastTested ? (
            <InlineStack gap="200" blockAlign="center">
              <Text as="span" tone="subdued">
                Last test: {lastTested}
              </Text>
              {current?.lastTestError ? <Badge tone="critical">Failed</Badge> : <Badge tone="success">Sent</Badge>}
            </InlineStack>
          ) : (
            <Text as="span" tone="subdued">
              Not tested yet
            </Text>
          )}
          <Button
            onClick={() => fetcher.submit({ intent: "send-test", to }, { method: "post" })}
            loading={fetcher.state !== "idle"}
            disabled={!current}
          >
            Send test email
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export default function EmailSettings() {
  const { settings, testRecipient, passwordProblem, timeZone } = useLoaderData<typeof loader>();
  return (
    // The title is App Bridge's (the admin draws it); the page keeps only the way back.
    <Page backAction={{ content: "Settings", url: "/app/settings" }}>
      <TitleBar title="Email" />
      <Layout>
        <Layout.AnnotatedSection
          id="outgoing-email"
          title="Outgoing email"
          description="Agents' replies to email, portal and contact-form tickets are sent through your email provider's SMTP server, from your store's address."
        >
          <SettingsForm settings={settings} passwordProblem={passwordProblem} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="test-email"
          title="Test"
          description="Sends one email now and shows the server's answer if it fails."
        >
          <TestEmail settings={settings} testRecipient={testRecipient} timeZone={timeZone} />
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useFetcher, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
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
  InlineGrid,
  InlineStack,
  Modal,
  Page,
  Select,
  Text,
  TextField,
  useIndexResourceState,
} from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  MACRO_LANGUAGE_LABELS,
  MACRO_LANGUAGES,
  MACRO_VARIABLES,
  PORTAL_REQUEST_DECISION_LABELS,
  PORTAL_REQUEST_DECISIONS,
  renderTemplate,
  sampleValues,
  templateProblems,
  type MacroLanguage,
} from "~/domain/macro-template";
import { MacroFormSchema } from "~/domain/macros";
import { PRIORITY_LABELS, TICKET_PRIORITIES } from "~/domain/tickets";
import { readForm } from "~/lib/form-data.server";
import { requireInstalledShop } from "~/models/shop.server";
import { handleMacroForm, macroSettingsPage } from "~/services/macro-settings.server";
import { authenticate } from "~/shopify.server";

// Settings → Macros, a settings area (shown by app.settings.tsx in place of itself): create, edit
// and delete the workspace's macros, add the starter set. A drill-down page (decision 016): the
// title is the admin's title bar, the page draws only the back arrow to Settings.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const { status, page } = await macroSettingsPage(shop.workspaceId, new URL(request.url).searchParams);
  return data(page, { status });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const form = await readForm(request, MacroFormSchema, "macro");
  if (!form.ok) {
    const intent = typeof form.fields.intent === "string" ? form.fields.intent.slice(0, 20) : null;
    return data({ ok: false as const, intent, errors: form.errors }, { status: form.status });
  }
  const { status, ...result } = await handleMacroForm(shop.workspaceId, form.data);
  return data(result, { status });
};

type ActionData =
  | Awaited<ReturnType<typeof handleMacroForm>>
  | { ok: false; intent: string | null; errors: Record<string, string[] | undefined> };

const LANGUAGE_OPTIONS = MACRO_LANGUAGES.map((value) => ({ label: MACRO_LANGUAGE_LABELS[value], value }));
const SNOOZE_OPTIONS = [
  { label: "4 hours", value: "4" },
  { label: "1 day", value: "24" },
  { label: "3 days", value: "72" },
  { label: "1 week", value: "168" },
];

const EMPTY_FIELDS = {
  name: "",
  language: "en",
  body: "",
  status: "",
  snoozeHours: "24",
  addTags: "",
  removeTags: "",
  assignTo: "",
  priority: "",
  portalRequest: "",
};
type Fields = typeof EMPTY_FIELDS;

/** Shows a fetcher's success toast once, and runs `then` after it. */
function useToastOf(fetcher: { data?: unknown; state: string }, then?: () => void) {
  const shopify = useAppBridge();
  const shown = useRef<unknown>(null);
  useEffect(() => {
    const answer = fetcher.data as ActionData | undefined;
    if (fetcher.state !== "idle" || !answer || shown.current === answer) return;
    shown.current = answer;
    if (answer.ok) {
      shopify.toast.show(answer.toast);
      then?.();
    }
  }, [fetcher.state, fetcher.data, shopify, then]);
}

const errorsOf = (answer: unknown) => {
  const value = answer as ActionData | undefined;
  return value && !value.ok ? value.errors : {};
};

function MacroEditor({
  id,
  initial,
  agents,
  onClose,
}: {
  id: string;
  initial: Fields;
  agents: { id: string; name: string }[];
  onClose: () => void;
}) {
  // Not keyed: its answer goes with the editor, so reopening it starts clean.
  const fetcher = useFetcher<ActionData>();
  const [fields, setFields] = useState<Fields>(initial);
  const set = (name: keyof Fields) => (value: string) => setFields((current) => ({ ...current, [name]: value }));
  useToastOf(fetcher, onClose);
  const errors = fetcher.state === "idle" ? errorsOf(fetcher.data) : {};
  const language = fields.language as MacroLanguage;
  const preview = useMemo(() => renderTemplate(fields.body, sampleValues(language)), [fields.body, language]);
  const problems = useMemo(() => templateProblems(fields.body), [fields.body]);

  /** Puts `{{ path }}` where the cursor is in the text (at the end when the text was not focused). */
  const insert = (path: string) => {
    const area = document.getElementById("macro-body") as HTMLTextAreaElement | null;
    const token = `{{ ${path} }}`;
    const at = area && document.activeElement === area ? area.selectionStart : fields.body.length;
    set("body")(fields.body.slice(0, at) + token + fields.body.slice(at));
  };

  const save = () => {
    const form = new FormData();
    form.set("intent", "save");
    if (id !== "new") form.set("id", id);
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    // Multipart: a long text with accents is far smaller than URL-encoded.
    fetcher.submit(form, { method: "post", encType: "multipart/form-data" });
  };

  return (
    <Modal
      open
      size="large"
      onClose={onClose}
      title={id === "new" ? "Create macro" : `Edit ${initial.name}`}
      primaryAction={{ content: "Save", onAction: save, loading: fetcher.state !== "idle" }}
      secondaryActions={[{ content: "Cancel", onAction: onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="400">
          {errors.form?.[0] && (
            <Banner tone="critical">
              <p>{errors.form[0]}</p>
            </Banner>
          )}
          <InlineGrid columns={{ xs: 1, md: "2fr 1fr" }} gap="300">
            <TextField
              label="Name"
              value={fields.name}
              onChange={set("name")}
              autoComplete="off"
              maxLength={80}
              helpText="Agents search for it by name in the reply box."
              error={errors.name?.[0]}
            />
            <Select
              label="Language of the text"
              options={LANGUAGE_OPTIONS}
              value={fields.language}
              onChange={set("language")}
              error={errors.language?.[0]}
            />
          </InlineGrid>
          <InlineGrid columns={{ xs: 1, md: "3fr 2fr" }} gap="400">
            <BlockStack gap="300">
              <TextField
                id="macro-body"
                label="Text of the reply"
                value={fields.body}
                onChange={set("body")}
                multiline={10}
                autoComplete="off"
                error={errors.body?.[0] ?? problems[0]}
                helpText={`A missing value is left out, e.g. "Hi {{ ticket.customer.firstname }}," reads "Hi," without a name. Give a fallback with {{ ticket.customer.firstname | default: "there" }}.`}
              />
              <Box padding="300" background="bg-surface-secondary" borderRadius="200">
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    Preview with sample data
                  </Text>
                  <Text as="p" breakWord>
                    <span style={{ whiteSpace: "pre-wrap" }}>{preview || "Write the text to see it here."}</span>
                  </Text>
                </BlockStack>
              </Box>
            </BlockStack>
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                Variables
              </Text>
              <Text as="p" tone="subdued" variant="bodySm">
                Click one to put it in the text.
              </Text>
              <div style={{ maxHeight: 360, overflowY: "auto" }}>
                <BlockStack gap="100">
                  {MACRO_VARIABLES.map((variable) => (
                    <InlineStack key={variable.path} gap="200" blockAlign="center" wrap={false}>
                      <Button variant="plain" onClick={() => insert(variable.path)}>
                        {`{{ ${variable.path} }}`}
                      </Button>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {variable.label}
                      </Text>
                    </InlineStack>
                  ))}
                </BlockStack>
              </div>
            </BlockStack>
          </InlineGrid>
        </BlockStack>
      </Modal.Section>
      <Modal.Section>
        <BlockStack gap="300">
          <Text as="h3" variant="headingSm">
            When the reply is sent
          </Text>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
            <Select
              label="Status"
              options={[
                { label: "Leave as it is", value: "" },
                { label: "Reopen", value: "open" },
                { label: "Close", value: "closed" },
                { label: "Snooze", value: "snoozed" },
              ]}
              value={fields.status}
              onChange={set("status")}
              error={errors.status?.[0]}
            />
            {fields.status === "snoozed" && (
              <Select
                label="Snooze for"
                options={SNOOZE_OPTIONS}
                value={fields.snoozeHours}
                onChange={set("snoozeHours")}
                error={errors.snoozeHours?.[0]}
              />
            )}
            <Select
              label="Assign to"
              options={[
                { label: "Leave as it is", value: "" },
                { label: "Whoever sends the reply", value: "me" },
                { label: "Nobody (unassign)", value: "nobody" },
                ...agents.map((agent) => ({ label: agent.name, value: agent.id })),
              ]}
              value={fields.assignTo}
              onChange={set("assignTo")}
              error={errors.assignTo?.[0]}
            />
            <Select
              label="Priority"
              options={[
                { label: "Leave as it is", value: "" },
                ...TICKET_PRIORITIES.map((value) => ({ label: PRIORITY_LABELS[value], value })),
              ]}
              value={fields.priority}
              onChange={set("priority")}
              error={errors.priority?.[0]}
            />
            <Select
              label="Portal request"
              options={[
                { label: "Leave as it is", value: "" },
                ...PORTAL_REQUEST_DECISIONS.map((value) => ({ label: PORTAL_REQUEST_DECISION_LABELS[value], value })),
              ]}
              value={fields.portalRequest}
              onChange={set("portalRequest")}
              error={errors.portalRequest?.[0]}
              helpText="A shopper's return or cancellation from the portal: done in Shopify, the shopper told. Nothing on other tickets."
            />
            <TextField
              label="Add tags"
              value={fields.addTags}
              onChange={set("addTags")}
              autoComplete="off"
              helpText="Separate tags with commas."
              error={errors.addTags?.[0]}
            />
            <TextField
              label="Remove tags"
              value={fields.removeTags}
              onChange={set("removeTags")}
              autoComplete="off"
              helpText="Separate tags with commas."
              error={errors.removeTags?.[0]}
            />
          </InlineGrid>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

function StarterMacrosModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const fetcher = useFetcher<ActionData>({ key: "macro-starters" });
  const [languages, setLanguages] = useState<MacroLanguage[]>([...MACRO_LANGUAGES]);
  useToastOf(fetcher, onClose);
  const errors = fetcher.state === "idle" ? errorsOf(fetcher.data) : {};
  return (
    <Modal
      open={open}
      onClose={onClose}
      title="Add starter macros"
      primaryAction={{
        content: "Add macros",
        disabled: languages.length === 0,
        loading: fetcher.state !== "idle",
        onAction: () => fetcher.submit({ intent: "add-starters", languages: languages.join(",") }, { method: "post" }),
      }}
      secondaryActions={[{ content: "Cancel", onAction: onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          <Text as="p">
            Six replies every store needs: where is my order, return policy, cancellation received, refund issued,
            address change, and thanks and closing. Starter macros you already have are not added twice.
          </Text>
          <Text as="p">Check the return window and refund delays in them against your own policy.</Text>
          {MACRO_LANGUAGES.map((language) => (
            <Checkbox
              key={language}
              label={MACRO_LANGUAGE_LABELS[language]}
              checked={languages.includes(language)}
              onChange={(checked) =>
                setLanguages((current) =>
                  checked ? [...current, language] : current.filter((other) => other !== language),
                )
              }
            />
          ))}
          {errors.languages?.[0] && (
            <Text as="p" tone="critical">
              {errors.languages[0]}
            </Text>
          )}
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

export default function MacroSettings() {
  const { macros, total, agents, query, editing, error } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [search, setSearch] = useState(query.q);
  useEffect(() => setSearch(query.q), [query.q]);
  const [startersOpen, setStartersOpen] = useState(false);
  const [deleting, setDeleting] = useState<string[] | null>(null);
  const remove = useFetcher<ActionData>({ key: "macro-delete" });
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } =
    useIndexResourceState(macros);
  useToastOf(remove, clearSelection);
  const removeError = remove.state === "idle" ? errorsOf(remove.data).form?.[0] : undefined;

  /** This page with `changes` applied to its query (search, language, the macro being edited). */
  const go = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    navigate(`/app/settings/macros${next.size ? `?${next}` : ""}`, { preventScrollReset: true });
  };
  const closeEditor = () => go({ edit: null });
  const time = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
  const selected = allResourcesSelected ? macros.map((macro) => macro.id) : selectedResources;
  const names = new Map(macros.map((macro) => [macro.id, macro.name]));

  return (
    <Page
      backAction={{ content: "Settings", url: "/app/settings" }}
      primaryAction={{ content: "Create macro", onAction: () => go({ edit: "new" }) }}
      secondaryActions={[{ content: "Add starter macros", onAction: () => setStartersOpen(true) }]}
    >
      <TitleBar title="Macros" />
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          Saved replies with the customer&apos;s details filled in, and what happens to the ticket when one is sent.
        </Text>
        {error && (
          <Banner tone="critical" onDismiss={() => go({ edit: null })}>
            <p>{error}</p>
          </Banner>
        )}
        {removeError && (
          <Banner tone="critical">
            <p>{removeError}</p>
          </Banner>
        )}
        <Card padding="0">
          {total === 0 ? (
            <EmptyState
              heading="Answer common questions in one click"
              action={{ content: "Add starter macros", onAction: () => setStartersOpen(true) }}
              secondaryAction={{ content: "Create macro", onAction: () => go({ edit: "new" }) }}
              image=""
            >
              <p>
                Macros are replies with the customer&apos;s name, order and tracking link filled in. Start with six
                common ones in English, French, German and Spanish, and make them your own.
              </p>
            </EmptyState>
          ) : (
            <>
              <Box padding="300">
                <Form method="get" role="search">
                  <InlineStack gap="200" blockAlign="end" wrap>
                    <div style={{ flex: "1 1 280px" }}>
                      <TextField
                        label="Search macros"
                        labelHidden
                        placeholder="Search by name or text"
                        name="q"
                        value={search}
                        onChange={setSearch}
                        autoComplete="off"
                        clearButton
                        onClearButtonClick={() => go({ q: null })}
                      />
                    </div>
                    {query.language && <input type="hidden" name="language" value={query.language} />}
                    <Button submit loading={navigation.state === "loading"}>
                      Search
                    </Button>
                    <Select
                      label="Language"
                      labelInline
                      options={[{ label: "All", value: "" }, ...LANGUAGE_OPTIONS]}
                      value={query.language}
                      onChange={(value) => go({ language: value })}
                    />
                  </InlineStack>
                </Form>
              </Box>
              {macros.length === 0 ? (
                <Box padding="600">
                  <Text as="p" alignment="center" tone="subdued">
                    No macro matches this search.
                  </Text>
                </Box>
              ) : (
                <IndexTable
                  resourceName={{ singular: "macro", plural: "macros" }}
                  itemCount={macros.length}
                  selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                  onSelectionChange={handleSelectionChange}
                  promotedBulkActions={[{ content: "Delete", onAction: () => setDeleting(selected) }]}
                  headings={[
                    { title: "Macro" },
                    { title: "Language" },
                    { title: "When sent" },
                    { title: "Used", alignment: "end" },
                    { title: "Edit", hidden: true },
                  ]}
                >
                  {macros.map((macro, index) => (
                    <IndexTable.Row
                      id={macro.id}
                      key={macro.id}
                      position={index}
                      selected={selectedResources.includes(macro.id)}
                    >
                      <IndexTable.Cell>
                        <BlockStack gap="050">
                          <Text as="span" fontWeight="semibold">
                            {macro.name}
                          </Text>
                          <Text as="span" tone="subdued" variant="bodySm" truncate>
                            {macro.preview}
                          </Text>
                        </BlockStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Badge>{MACRO_LANGUAGE_LABELS[macro.language as MacroLanguage] ?? macro.language}</Badge>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" variant="bodySm">
                          {macro.actions.length > 0 ? macro.actions.join(" · ") : "Nothing else"}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {macro.usageCount === 0
                            ? "Never"
                            : `${macro.usageCount} ${macro.usageCount === 1 ? "time" : "times"}${macro.lastUsedAt ? `, last ${time.format(new Date(macro.lastUsedAt))}` : ""}`}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <InlineStack gap="200" wrap={false}>
                          <Button onClick={() => go({ edit: macro.id })} accessibilityLabel={`Edit ${macro.name}`}>
                            Edit
                          </Button>
                          <Button
                            tone="critical"
                            variant="plain"
                            onClick={() => setDeleting([macro.id])}
                            accessibilityLabel={`Delete ${macro.name}`}
                          >
                            Delete
                          </Button>
                        </InlineStack>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
            </>
          )}
        </Card>
      </BlockStack>
      {editing && (
        <MacroEditor
          key={editing.id}
          id={editing.id}
          initial={editing.fields ?? EMPTY_FIELDS}
          agents={agents}
          onClose={closeEditor}
        />
      )}
      <StarterMacrosModal open={startersOpen} onClose={() => setStartersOpen(false)} />
      <Modal
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={
          deleting?.length === 1
            ? `Delete ${names.get(deleting[0]!) ?? "this macro"}?`
            : `Delete ${deleting?.length} macros?`
        }
        primaryAction={{
          content: "Delete",
          destructive: true,
          loading: remove.state !== "idle",
          onAction: () => {
            remove.submit({ intent: "delete", ids: (deleting ?? []).join(",") }, { method: "post" });
            setDeleting(null);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setDeleting(null) }]}
      >
        <Modal.Section>
          <Text as="p">
            Agents will no longer find {deleting?.length === 1 ? "it" : "them"} in the reply box. Replies already sent
            are not changed. This cannot be undone.
          </Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

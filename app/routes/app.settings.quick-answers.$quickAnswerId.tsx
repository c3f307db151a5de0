import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useRouteError } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  Divider,
  InlineStack,
  Layout,
  Link,
  List,
  Modal,
  Page,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { z } from "zod";
import { RouteErrorPage } from "~/components/ErrorPages";
import {
  blankDraft,
  contentOfDraft,
  describeProblem,
  draftOf,
  localesWithProblems,
  previewLinks,
  problemKey,
  updateAt,
  type DraftNode,
} from "~/domain/quick-answer-draft";
import {
  contentProblems,
  localizeQuickAnswer,
  MAX_FOLLOW_UP_DEPTH,
  MAX_FOLLOW_UPS_PER_ANSWER,
  MAX_LINKS_PER_ANSWER,
  QUICK_ANSWER_LOCALE_NAMES,
  QUICK_ANSWER_LOCALES,
  QuickAnswerContentSchema,
  type LocalizedQuickAnswerNode,
  type QuickAnswerLocale,
} from "~/domain/quick-answers";
import { readForm } from "~/lib/form-data.server";
import { storableString } from "~/lib/storable-text";
import {
  createQuickAnswer,
  deleteQuickAnswer,
  findQuickAnswer,
  QuickAnswerNotFoundError,
  QuickAnswerRefused,
  updateQuickAnswer,
} from "~/models/quick-answer.server";
import { requireInstalledShop } from "~/models/shop.server";
import { authenticate } from "~/shopify.server";

// Settings → Quick answers → one flow (or "new"): its question, answer and links in each language
// (tabs; a language left blank shows English on the storefront), follow-ups nested below it, and
// a preview as shoppers see it in the widget. Saved whole, checked with QuickAnswerContentSchema.

const notFound = () =>
  new Response("This quick answer does not exist or belongs to another workspace.", { status: 404 });

const EditorFormSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("save"),
      content: storableString({ error: "Send the quick answer's content." }).max(
        200_000,
        "This quick answer is too long.",
      ),
      enabled: z.enum(["true", "false"]).transform((value) => value === "true"),
    }),
    z.object({ intent: z.literal("delete") }),
  ],
  { error: "Choose save or delete." },
);

export type EditorAnswer =
  | { ok: true; saved: true; id: string; created: boolean }
  | { ok: true; deleted: true }
  | { ok: false; error: string; problems: Record<string, string> };

async function context(request: Request, params: { quickAnswerId?: string }) {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const id = params.quickAnswerId ?? "";
  if (id === "new") return { shop, quickAnswer: null };
  const quickAnswer = await findQuickAnswer(shop.workspaceId, id);
  if (!quickAnswer) throw notFound();
  return { shop, quickAnswer };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { quickAnswer } = await context(request, params);
  return {
    quickAnswer: quickAnswer && { id: quickAnswer.id, enabled: quickAnswer.enabled, content: quickAnswer.content },
  };
};

const refused = (error: string, problems: Record<string, string> = {}, status = 400) =>
  data<EditorAnswer>({ ok: false, error, problems }, { status });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, quickAnswer } = await context(request, params);
  const form = await readForm(request, EditorFormSchema, "quick answer");
  if (!form.ok) return refused(Object.values(form.errors).flat()[0] ?? "Check the form.", {}, form.status);
  try {
    if (form.data.intent === "delete") {
      if (!quickAnswer) throw notFound();
      await deleteQuickAnswer(shop.workspaceId, quickAnswer.id);
      return data<EditorAnswer>({ ok: true, deleted: true });
    }
    let json: unknown;
    try {
      json = JSON.parse(form.data.content);
    } catch {
      return refused("This quick answer could not be read. Reload the page and try again.");
    }
    const parsed = QuickAnswerContentSchema.safeParse(json);
    if (!parsed.success) return refused("Fix these before saving:", contentProblems(parsed.error));
    const input = { content: parsed.data, enabled: form.data.enabled };
    const saved = quickAnswer
      ? await updateQuickAnswer(shop.workspaceId, quickAnswer.id, input)
      : await createQuickAnswer(shop.workspaceId, input);
    return data<EditorAnswer>({ ok: true, saved: true, id: saved.id, created: !quickAnswer });
  } catch (error) {
    if (error instanceof QuickAnswerNotFoundError) throw notFound();
    if (error instanceof QuickAnswerRefused) return refused(error.message);
    throw error;
  }
};

export default function QuickAnswerEditor() {
  const { quickAnswer } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const navigate = useNavigate();
  const saver = useFetcher<EditorAnswer>();
  const [draft, setDraft] = useState<DraftNode>(() =>
    quickAnswer?.content ? draftOf(quickAnswer.content) : blankDraft(),
  );
  const [enabled, setEnabled] = useState(quickAnswer?.enabled ?? true);
  const [localeIndex, setLocaleIndex] = useState(0);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const locale = QUICK_ANSWER_LOCALES[localeIndex]!;

  const answer = saver.data;
  const problems = answer && !answer.ok ? answer.problems : {};
  const shown = useRef<unknown>(null);
  useEffect(() => {
    if (saver.state !== "idle" || !answer || shown.current === answer) return;
    shown.current = answer;
    if (!answer.ok) return;
    if ("deleted" in answer) {
      shopify.toast.show("Quick answer deleted");
      navigate("/app/settings/quick-answers");
    } else {
      shopify.toast.show(answer.created ? "Quick answer created" : "Quick answer saved");
      if (answer.created) navigate(`/app/settings/quick-answers/${answer.id}`, { replace: true });
    }
  }, [saver.state, answer, shopify, navigate]);

  const save = () =>
    saver.submit(
      { intent: "save", content: JSON.stringify(contentOfDraft(draft)), enabled: String(enabled) },
      { method: "post" },
    );
  const busy = saver.state !== "idle";
  const troubled = localesWithProblems(problems);
  const title = quickAnswer ? draft.text.en.question.trim() || "Quick answer" : "New quick answer";

  return (
    <Page
      backAction={{ content: "Quick answers", url: "/app/settings/quick-answers" }}
      primaryAction={{ content: "Save", onAction: save, loading: busy && saver.formData?.get("intent") === "save" }}
      secondaryActions={
        quickAnswer ? [{ content: "Delete", destructive: true, onAction: () => setConfirmingDelete(true) }] : []
      }
    >
      <TitleBar title={title} />
      <Layout>
        {answer && !answer.ok && (
          <Layout.Section>
            <Banner tone="critical" title={answer.error}>
              {Object.keys(answer.problems).length > 0 && (
                <List>
                  {Object.entries(answer.problems)
                    .slice(0, 12)
                    .map(([key, message]) => (
                      <List.Item key={key}>{describeProblem(key, message)}</List.Item>
                    ))}
                </List>
              )}
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card padding="0">
            <Tabs
              tabs={QUICK_ANSWER_LOCALES.map((code) => ({
                id: `locale-${code}`,
                content: `${QUICK_ANSWER_LOCALE_NAMES[code]}${troubled.includes(code) ? " (check)" : ""}`,
                accessibilityLabel: QUICK_ANSWER_LOCALE_NAMES[code],
              }))}
              selected={localeIndex}
              onSelect={setLocaleIndex}
            />
            <Box padding="400">
              <BlockStack gap="400">
                <Text as="p" tone="subdued">
                  {locale === "en"
                    ? "English is required: shoppers whose language you leave blank see it."
                    : `Leave ${QUICK_ANSWER_LOCALE_NAMES[locale]} blank to show English to these shoppers.`}
                </Text>
                <AnswerFields
                  draft={draft}
                  indexes={[]}
                  locale={locale}
                  problems={problems}
                  onChange={(indexes, change) => setDraft((current) => updateAt(current, indexes, change))}
                />
                <Divider />
                <Checkbox
                  label="Show on the storefront"
                  helpText="Turned off, shoppers do not see it; its figures are kept."
                  checked={enabled}
                  onChange={setEnabled}
                />
              </BlockStack>
            </Box>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Preview draft={draft} locale={locale} />
        </Layout.Section>
      </Layout>
      <Modal
        open={confirmingDelete}
        onClose={() => setConfirmingDelete(false)}
        title="Delete this quick answer?"
        primaryAction={{
          content: "Delete",
          destructive: true,
          loading: busy,
          onAction: () => {
            setConfirmingDelete(false);
            saver.submit({ intent: "delete" }, { method: "post" });
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmingDelete(false) }]}
      >
        <Modal.Section>
          <Text as="p">
            Shoppers will no longer see it, and its figures go with it. To keep the figures, turn it off instead.
          </Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

type Change = (indexes: readonly number[], change: (node: DraftNode) => DraftNode) => void;

/** One answer's fields in one language, then its follow-ups (each the same, nested). */
function AnswerFields(props: {
  draft: DraftNode;
  indexes: readonly number[];
  locale: QuickAnswerLocale;
  problems: Record<string, string>;
  onChange: Change;
}) {
  const { draft, indexes, locale, problems, onChange } = props;
  const text = draft.text[locale];
  const english = draft.text.en;
  const name = indexes.length === 0 ? "" : `Follow-up ${indexes.map((index) => index + 1).join(".")} `;
  const error = (...field: (string | number)[]) => problems[problemKey(indexes, locale, ...field)];
  const setText = (changes: Partial<typeof text>) =>
    onChange(indexes, (node) => ({ ...node, text: { ...node.text, [locale]: { ...node.text[locale], ...changes } } }));
  const setLink = (linkIndex: number, changes: Partial<{ label: string; url: string }>) =>
    setText({ links: text.links.map((link, index) => (index === linkIndex ? { ...link, ...changes } : link)) });
  const hint = (value: string) => (locale !== "en" && value ? `English: ${value}` : undefined);

  return (
    <BlockStack gap="300">
      <TextField
        label={`${name}question`.replace(/^q/, "Q")}
        value={text.question}
        onChange={(question) => setText({ question })}
        placeholder={hint(english.question)}
        error={error("question")}
        maxLength={200}
        autoComplete="off"
      />
      <TextField
        label={`${name}answer`.replace(/^a/, "A")}
        value={text.answer}
        onChange={(value) => setText({ answer: value })}
        placeholder={hint(english.answer)}
        error={error("answer")}
        multiline={3}
        maxLength={4000}
        autoComplete="off"
      />
      {text.links.map((link, linkIndex) => (
        <InlineStack key={linkIndex} gap="200" blockAlign="end" wrap={false}>
          <Box minWidth="30%">
            <TextField
              label={`${name}link ${linkIndex + 1} text`.replace(/^l/, "L")}
              value={link.label}
              onChange={(label) => setLink(linkIndex, { label })}
              error={error("links", linkIndex, "label")}
              autoComplete="off"
            />
          </Box>
          <Box width="100%">
            <TextField
              label={`${name}link ${linkIndex + 1} address`.replace(/^l/, "L")}
              value={link.url}
              onChange={(url) => setLink(linkIndex, { url })}
              error={error("links", linkIndex, "url")}
              placeholder="https://"
              type="url"
              autoComplete="off"
            />
          </Box>
          <Button
            accessibilityLabel={`Remove ${name}link ${linkIndex + 1}`}
            onClick={() => setText({ links: text.links.filter((_, index) => index !== linkIndex) })}
          >
            Remove
          </Button>
        </InlineStack>
      ))}
      <InlineStack gap="200">
        <Button
          disabled={text.links.length >= MAX_LINKS_PER_ANSWER}
          onClick={() => setText({ links: [...text.links, { label: "", url: "" }] })}
        >
          {`Add link${name ? ` to ${name.trim().toLowerCase()}` : ""}`}
        </Button>
        {indexes.length < MAX_FOLLOW_UP_DEPTH && (
          <Button
            disabled={draft.followUps.length >= MAX_FOLLOW_UPS_PER_ANSWER}
            onClick={() => onChange(indexes, (node) => ({ ...node, followUps: [...node.followUps, blankDraft()] }))}
          >
            {`Add follow-up${name ? ` to ${name.trim().toLowerCase()}` : ""}`}
          </Button>
        )}
      </InlineStack>
      {draft.followUps.map((child, childIndex) => {
        const childIndexes = [...indexes, childIndex];
        const childName = `Follow-up ${childIndexes.map((index) => index + 1).join(".")}`;
        return (
          <Box key={childIndex} paddingInlineStart="400" borderInlineStartWidth="025" borderColor="border">
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {childName}
                </Text>
                <Button
                  variant="plain"
                  tone="critical"
                  accessibilityLabel={`Remove ${childName.toLowerCase()}`}
                  onClick={() =>
                    onChange(indexes, (node) => ({
                      ...node,
                      followUps: node.followUps.filter((_, index) => index !== childIndex),
                    }))
                  }
                >
                  Remove
                </Button>
              </InlineStack>
              <AnswerFields
                draft={child}
                indexes={childIndexes}
                locale={locale}
                problems={problems}
                onChange={onChange}
              />
            </BlockStack>
          </Box>
        );
      })}
    </BlockStack>
  );
}

/** The flow as a shopper with this language sees it in the widget: click a follow-up to open it. */
function Preview({ draft, locale }: { draft: DraftNode; locale: QuickAnswerLocale }) {
  const flow = useMemo(
    () => localizeQuickAnswer({ id: "preview", content: contentOfDraft(draft) }, locale),
    [draft, locale],
  );
  const [path, setPath] = useState<number[]>([]);
  let node: LocalizedQuickAnswerNode = flow;
  for (const index of path) node = node.followUps[index] ?? node;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Preview
          </Text>
          {path.length > 0 && (
            <Button variant="plain" onClick={() => setPath(path.slice(0, -1))}>
              Back
            </Button>
          )}
        </InlineStack>
        <Text as="p" tone="subdued" variant="bodySm">
          {`As a shopper reading ${QUICK_ANSWER_LOCALE_NAMES[locale]} sees it${node.locale !== locale ? " (this answer in English)" : ""}.`}
        </Text>
        <Box background="bg-surface-secondary" padding="300" borderRadius="200">
          <BlockStack gap="200">
            <Text as="p" fontWeight="semibold">
              {node.question || "Your question"}
            </Text>
            <Text as="p">{node.answer || "Your answer"}</Text>
            {previewLinks(node.links).map((link, index) => (
              <Link key={index} url={link.url} target="_blank">
                {link.label}
              </Link>
            ))}
          </BlockStack>
        </Box>
        {node.followUps.map((child, index) => (
          <Button key={index} fullWidth textAlign="start" onClick={() => setPath([...path, index])}>
            {child.question || `Follow-up ${index + 1}`}
          </Button>
        ))}
      </BlockStack>
    </Card>
  );
}

export function ErrorBoundary() {
  return (
    <RouteErrorPage
      error={useRouteError()}
      embedded
      notFound={{
        title: "Quick answer not found",
        heading: "We couldn't find this quick answer",
        message: "It may have been deleted.",
        action: { content: "Back to Quick answers", url: "/app/settings/quick-answers" },
      }}
    />
  );
}

import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useRouteError } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  InlineStack,
  Layout,
  List,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { RouteErrorPage } from "~/components/ErrorPages";
import { IntegrationWidget } from "~/components/IntegrationWidgets";
import { readForm } from "~/lib/form-data.server";
import { storableString } from "~/lib/storable-text";
import { requireInstalledShop } from "~/models/shop.server";
import {
  previewWidgetText,
  saveWidgetTemplate,
  widgetEditor,
  type TemplatePreview,
} from "~/services/integrations/widgets.server";
import { authenticate } from "~/shopify.server";

// Settings → Sidebar widgets → one widget: its template as JSON, what is wrong with it, and a live
// preview over the last response its integration stored (any customer). Saving replaces the
// template the REST API's PUT /api/widgets/<id> would, with the same checks.

const notFound = () => new Response("This widget does not exist or belongs to another workspace.", { status: 404 });

const ParamsSchema = z.object({ widgetId: z.coerce.number().int().positive().max(2_147_483_647) });

const MAX_TEMPLATE_CHARS = 200_000;
const EditorFormSchema = z.object({
  intent: z.enum(["preview", "save"], "Choose preview or save."),
  template: storableString({ error: "Write the template as JSON." }).refine(
    (text) => text.length <= MAX_TEMPLATE_CHARS,
    `A template is at most ${MAX_TEMPLATE_CHARS / 1000} thousand characters.`,
  ),
});

export type EditorAnswer =
  | { ok: true; saved: boolean; preview: TemplatePreview; errors?: undefined }
  | { ok: false; errors: Record<string, string | undefined> };

async function context(request: Request, params: unknown) {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const ids = ParamsSchema.safeParse(params);
  if (!ids.success) throw notFound();
  return { shop, widgetId: ids.data.widgetId };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, widgetId } = await context(request, params);
  const widget = await widgetEditor(shop.workspaceId, widgetId, shop.ianaTimezone);
  if (!widget) throw notFound();
  return { widget };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, widgetId } = await context(request, params);
  const form = await readForm(request, EditorFormSchema, "widget template");
  if (!form.ok) {
    const errors = Object.fromEntries(Object.entries(form.errors).map(([field, messages]) => [field, messages?.[0]]));
    return data<EditorAnswer>({ ok: false, errors }, { status: form.status });
  }
  const { intent, template } = form.data;
  if (intent === "preview") {
    const preview = await previewWidgetText(shop.workspaceId, widgetId, template, shop.ianaTimezone);
    if (!preview) throw notFound();
    return data<EditorAnswer>({ ok: true, saved: false, preview });
  }
  const result = await saveWidgetTemplate(shop.workspaceId, widgetId, template, shop.ianaTimezone);
  if (!result) throw notFound();
  if (!result.saved)
    return data<EditorAnswer>(
      { ok: false, errors: { template: "Fix the problems listed under the template before saving." } },
      { status: 400 },
    );
  return data<EditorAnswer>({ ok: true, saved: true, preview: result.preview });
};

export default function WidgetTemplateEditor() {
  const { widget } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const [text, setText] = useState(widget.templateText);
  const previewer = useFetcher<EditorAnswer>();
  const saver = useFetcher<EditorAnswer>();
  const [preview, setPreview] = useState<TemplatePreview>(widget.preview);

  // The preview follows the text as it is typed, a moment after the last key.
  const typed = useRef(false);
  useEffect(() => {
    if (!typed.current) return;
    const timer = setTimeout(() => previewer.submit({ intent: "preview", template: text }, { method: "post" }), 400);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the fetcher's identity changes each render
  }, [text]);
  useEffect(() => {
    if (previewer.data?.ok) setPreview(previewer.data.preview);
  }, [previewer.data]);

  // After a save the page reloads the widget: show the template as stored.
  useEffect(() => setText(widget.templateText), [widget.templateText]);

  const shownSave = useRef<unknown>(null);
  useEffect(() => {
    const answer = saver.data;
    if (saver.state !== "idle" || !answer || shownSave.current === answer) return;
    shownSave.current = answer;
    if (answer.ok) {
      setPreview(answer.preview);
      shopify.toast.show("Template saved");
    }
  }, [saver.state, saver.data, shopify]);
  const saveError = saver.data && !saver.data.ok ? (saver.data.errors.template ?? saver.data.errors.form) : undefined;
  const previewError = previewer.data && !previewer.data.ok ? previewer.data.errors.template : undefined;
  const changed = text !== widget.templateText;

  return (
    <Page backAction={{ content: "Sidebar widgets", url: "/app/settings/widgets" }}>
      <TitleBar title={`${widget.name} widget`} />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Template
                </Text>
                <Badge>{widget.place}</Badge>
                {!widget.active && <Badge tone="attention">Turned off</Badge>}
              </InlineStack>
              <TextField
                label="Template (JSON)"
                labelHidden
                value={text}
                onChange={(value) => {
                  typed.current = true;
                  setText(value);
                }}
                multiline={20}
                maxHeight={640}
                monospaced
                autoComplete="off"
                spellCheck={false}
                error={saveError ?? previewError}
                helpText='A "wrapper" of "card", "list" and value rows (text, date, url, email, boolean, number, price, percent, rating, age). "path" picks a field of the response; {{field}} in titles and links uses the current item’s fields.'
              />
              {preview.problems.length > 0 && (
                <Banner
                  tone={preview.savable ? "warning" : "critical"}
                  title={preview.savable ? "Read with changes" : "This template cannot be saved"}
                >
                  <List>
                    {preview.problems.slice(0, 20).map((problem, index) => (
                      <List.Item key={index}>{problem}</List.Item>
                    ))}
                  </List>
                </Banner>
              )}
              <InlineStack align="end" gap="200">
                <Button
                  disabled={!changed}
                  onClick={() => {
                    typed.current = true;
                    setText(widget.templateText);
                  }}
                >
                  Undo changes
                </Button>
                <Button
                  variant="primary"
                  loading={saver.state !== "idle"}
                  disabled={!preview.savable || !changed}
                  onClick={() => saver.submit({ intent: "save", template: text }, { method: "post" })}
                >
                  Save
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Preview
            </Text>
            <Text as="p" tone="subdued">
              {widget.sampleFetched
                ? `Over the last answer ${widget.name} stored (${widget.sampleFetched}).`
                : `${widget.name} has not answered for any customer yet: the preview appears once it has.`}
            </Text>
            {preview.tree ? (
              <IntegrationWidget widget={{ id: widget.id, name: widget.name, tree: preview.tree }} preview />
            ) : (
              // Only for a readable template: broken JSON has its own message by the text.
              widget.sampleFetched &&
              preview.savable && (
                <Card>
                  <Box>
                    <Text as="p" tone="subdued">
                      Nothing to show: no path of the template finds data in this answer, so agents would see no card.
                    </Text>
                  </Box>
                </Card>
              )
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return (
    <RouteErrorPage
      error={useRouteError()}
      embedded
      notFound={{
        title: "Widget not found",
        heading: "We couldn't find this widget",
        message: "It may have been deleted through the REST API.",
        action: { content: "Back to Sidebar widgets", url: "/app/settings/widgets" },
      }}
    />
  );
}

import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Box, Button, Card, InlineStack, Link, Modal, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import type { ButtonView, RenderNode } from "~/domain/widget-template";

// An HTTP integration's data in a sidebar (ticket page, customer profile, the template editor's
// preview), from a render tree the server resolved (app/domain/widget-template.ts). Everything is
// React text or a Polaris Link to an http(s)/mailto address checked by the domain: nothing from a
// template or a partner's response is ever written as HTML.

export interface IntegrationWidgetView {
  id: number;
  /** The integration's name: the card's title when the template gives none. */
  name: string;
  tree: RenderNode;
}

/** What the widget-action route answers. */
export type WidgetActionAnswer =
  { ok: true; toast: string; errors?: undefined } | { ok: false; errors: Record<string, string | undefined> };

interface ActionTarget {
  widgetId: number;
  /** The ticket route the action is posted to; without it (profile, preview) buttons are not offered. */
  actionUrl: string | null;
  /** The settings editor's preview: buttons are shown, not run. */
  preview?: boolean;
}

function Field({ node }: { node: Extract<RenderNode, { kind: "field" }> }) {
  let value;
  if (node.flag !== null) value = <Badge tone={node.flag ? "success" : undefined}>{node.text}</Badge>;
  else if (node.href)
    value = (
      <Link url={node.href} target="_blank">
        {node.text}
      </Link>
    );
  else
    value = (
      <Text as="span" breakWord>
        {node.text}
      </Text>
    );
  return (
    <InlineStack gap="200" align="space-between" blockAlign="start" wrap={false}>
      <Text as="span" tone="subdued">
        {node.title}
      </Text>
      <Box maxWidth="65%">
        <div style={{ textAlign: "end", overflowWrap: "anywhere" }}>{value}</div>
      </Box>
    </InlineStack>
  );
}

function ActionButton({ button, target }: { button: ButtonView; target: ActionTarget & { actionUrl: string } }) {
  const shopify = useAppBridge();
  const fetcher = useFetcher<WidgetActionAnswer>();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(button.fields.map((field) => [field.name, field.value])),
  );
  const [missing, setMissing] = useState<Record<string, string>>({});
  const shown = useRef<unknown>(null);
  useEffect(() => {
    const answer = fetcher.data;
    if (fetcher.state !== "idle" || !answer || shown.current === answer) return;
    shown.current = answer;
    if (answer.ok) {
      shopify.toast.show(answer.toast);
      setOpen(false);
    } else if (answer.errors.form) shopify.toast.show(answer.errors.form, { isError: true });
  }, [fetcher.state, fetcher.data, shopify]);
  const serverErrors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};

  const run = () => {
    const empty = Object.fromEntries(
      button.fields
        .filter((field) => field.mandatory && !(values[field.name] ?? "").trim())
        .map((field) => [field.name, `Fill in ${field.label}.`]),
    );
    setMissing(empty);
    if (Object.keys(empty).length > 0) return;
    fetcher.submit(
      { widgetId: String(target.widgetId), ref: button.ref, values: JSON.stringify(values) },
      { method: "post", action: target.actionUrl },
    );
  };
  const submit = () => (button.fields.length ? setOpen(true) : run());

  return (
    <>
      <Button onClick={submit} loading={!open && fetcher.state !== "idle"}>
        {button.label}
      </Button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={button.label}
        primaryAction={{ content: "Run", onAction: run, loading: fetcher.state !== "idle" }}
        secondaryActions={[{ content: "Cancel", onAction: () => setOpen(false) }]}
      >
        <Modal.Section>
          <BlockStack gap="300">
            {button.fields.map((field) => (
              <TextField
                key={field.name}
                label={field.label}
                requiredIndicator={field.mandatory}
                value={values[field.name] ?? ""}
                onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
                error={missing[field.name] ?? serverErrors[field.name]}
                autoComplete="off"
              />
            ))}
            {serverErrors.form && (
              <Text as="p" tone="critical">
                {serverErrors.form}
              </Text>
            )}
          </BlockStack>
        </Modal.Section>
      </Modal>
    </>
  );
}

function CardBody({ node, target }: { node: Extract<RenderNode, { kind: "card" }>; target: ActionTarget }) {
  const { actionUrl } = target;
  return (
    <BlockStack gap="200">
      {node.children.map((child, index) => (
        <WidgetNode key={index} node={child} target={target} />
      ))}
      {node.links.length > 0 && (
        <InlineStack gap="300" wrap>
          {node.links.map((link, index) => (
            <Link key={index} url={link.url} target="_blank">
              {link.label}
            </Link>
          ))}
        </InlineStack>
      )}
      {(actionUrl || target.preview) && node.buttons.length > 0 && (
        <InlineStack gap="200" wrap>
          {node.buttons.map((button) =>
            actionUrl ? (
              <ActionButton key={button.ref} button={button} target={{ ...target, actionUrl }} />
            ) : (
              // The editor's preview shows the buttons agents will see; they run from a ticket only.
              <Button key={button.ref} disabled>
                {button.label}
              </Button>
            ),
          )}
        </InlineStack>
      )}
    </BlockStack>
  );
}

function CardTitle({ title, link }: { title: string | null; link: string | null }) {
  if (!title && !link) return null;
  const heading = (
    <Text as="h3" variant="headingSm">
      {title ?? "Open"}
    </Text>
  );
  return link ? (
    <Link url={link} target="_blank" removeUnderline>
      {heading}
    </Link>
  ) : (
    heading
  );
}

function WidgetNode({ node, target }: { node: RenderNode; target: ActionTarget }) {
  if (node.kind === "field") return <Field node={node} />;
  if (node.kind === "list")
    return (
      <BlockStack gap="200">
        {node.title && (
          <Text as="h3" variant="headingSm">
            {node.title}
          </Text>
        )}
        {node.items.map((item, index) => (
          <WidgetNode key={index} node={item} target={target} />
        ))}
      </BlockStack>
    );
  if (!node.displayCard)
    return (
      <BlockStack gap="200">
        <CardTitle title={node.title} link={node.link} />
        <CardBody node={node} target={target} />
      </BlockStack>
    );
  // A card inside the widget's card: a bordered box (Polaris cards do not nest).
  return (
    <Box borderWidth="025" borderColor="border" borderRadius="200" padding="300">
      <BlockStack gap="200">
        <CardTitle title={node.title} link={node.link} />
        <CardBody node={node} target={target} />
      </BlockStack>
    </Box>
  );
}

/** One widget as a sidebar card: the template's outer card (or the integration's name) as its title. */
export function IntegrationWidget({
  widget,
  actionUrl = null,
  preview = false,
}: {
  widget: IntegrationWidgetView;
  actionUrl?: string | null;
  preview?: boolean;
}) {
  const target = { widgetId: widget.id, actionUrl, preview };
  // The template's outermost card is the sidebar card itself (the anchor's "displayCard" root).
  let root = widget.tree;
  while (
    root.kind === "card" &&
    !root.title &&
    !root.link &&
    root.children.length === 1 &&
    !root.buttons.length &&
    !root.links.length &&
    root.children[0]!.kind === "card"
  )
    root = root.children[0]!;
  const outer = root.kind === "card" ? root : null;
  return (
    <Card>
      <BlockStack gap="300">
        <CardTitle title={outer?.title ?? widget.name} link={outer?.link ?? null} />
        {outer ? <CardBody node={outer} target={target} /> : <WidgetNode node={root} target={target} />}
      </BlockStack>
    </Card>
  );
}

/** The widgets of a sidebar, in order; nothing at all when none has data. */
export function IntegrationWidgets({
  widgets,
  actionUrl = null,
}: {
  widgets: readonly IntegrationWidgetView[];
  actionUrl?: string | null;
}) {
  if (widgets.length === 0) return null;
  return (
    <>
      {widgets.map((widget) => (
        <IntegrationWidget key={widget.id} widget={widget} actionUrl={actionUrl} />
      ))}
    </>
  );
}

import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import {
  Link as RemixLink,
  useFetcher,
  useLoaderData,
  useNavigate,
  useRevalidator,
  useRouteError,
} from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  Divider,
  InlineStack,
  Layout,
  Modal,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { RouteErrorPage } from "~/components/ErrorPages";
import { formatPhone } from "~/components/formatting";
import { throttle, useLiveUpdates } from "~/components/live-updates";
import { CHANNEL_LABELS, PRIORITY_LABELS, STATUS_LABELS, TICKET_PRIORITIES } from "~/domain/ticket-labels";
import { RETURN_DECLINE_REASON_LABELS } from "~/domain/portal-decisions";
import { REQUEST_STATUS_LABELS, RETURN_REASON_LABELS } from "~/domain/portal-requests";
import { readForm } from "~/lib/form-data.server";
import { requireInstalledShop } from "~/models/shop.server";
import { ticketExists } from "~/models/ticket.server";
import { agentForRequest } from "~/services/agents.server";
import { performTicketAction, type MacroPreview } from "~/services/tickets/ticket-actions.server";
import { TicketActionSchema, TicketParamsSchema } from "~/services/tickets/ticket-forms.server";
import { ticketPageData, type ThreadEntryView } from "~/services/tickets/ticket-page.server";
import { macroPickerOptions } from "~/services/macros.server";
import { customerSidebar } from "~/models/customer-sidebar.server";
import { CustomerNoteEditor } from "~/components/CustomerNoteEditor";
import { MacroPicker } from "~/components/MacroPicker";
import { IntegrationWidgets } from "~/components/IntegrationWidgets";
import { sidebarWidgets } from "~/services/integrations/widgets.server";
import { authenticate } from "~/shopify.server";

// One ticket: its thread (latest first loaded, earlier pages on demand), the reply box, and the
// controls an agent uses all day. Changes made anywhere (a customer's message, another agent)
// arrive through the live connection and reload the page's data without a reload.

const notFound = () => new Response("This ticket does not exist or belongs to another workspace.", { status: 404 });

async function context(request: Request, params: unknown) {
  const auth = await authenticate.admin(request);
  const shop = await requireInstalledShop(auth.session.shop, auth.admin);
  const ids = TicketParamsSchema.safeParse(params);
  if (!ids.success) throw notFound();
  const agent = await agentForRequest(request, auth);
  return { shop, agent, ticketId: ids.data.ticketId };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, agent, ticketId } = await context(request, params);
  const page = await ticketPageData(
    { workspaceId: shop.workspaceId, shopId: shop.id, timeZone: shop.ianaTimezone },
    ticketId,
    agent?.id ?? null,
  );
  if (!page) throw notFound();
  const [macros, customer, widgets] = await Promise.all([
    macroPickerOptions(shop.workspaceId, ticketId, agent),
    page.ticket.customer
      ? customerSidebar(shop.workspaceId, page.ticket.customer.id, {
          shopDomain: shop.domain,
          shopTimeZone: shop.ianaTimezone,
        })
      : null,
    page.ticket.customer
      ? sidebarWidgets(shop.workspaceId, page.ticket.customer.id, { place: "ticket", timeZone: shop.ianaTimezone })
      : [],
  ]);
  return { ...page, macros, customer, widgets, me: agent };
};

export type TicketActionData =
  | { ok: true; toast: string; macroPreview?: MacroPreview; continuedInTicketId?: string; errors?: undefined }
  | { ok: false; errors: Partial<Record<string, string[]>> };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, agent, ticketId } = await context(request, params);
  if (!(await ticketExists(shop.workspaceId, ticketId))) throw notFound();
  const form = await readForm(request, TicketActionSchema, "ticket");
  if (!form.ok) return data<TicketActionData>({ ok: false, errors: form.errors }, { status: form.status });
  const result = await performTicketAction(shop.workspaceId, ticketId, agent, form.data);
  if (!result.ok)
    return data<TicketActionData>({ ok: false, errors: { form: [result.message] } }, { status: result.status });
  return data<TicketActionData>(result);
};

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

const PRIORITY_TONE = { low: undefined, normal: undefined, high: "warning", urgent: "critical" } as const;

/** Entries in thread order: time, then insertion order for the same millisecond. */
function compareEntries(a: ThreadEntryView, b: ThreadEntryView) {
  if (a.atIso !== b.atIso) return a.atIso < b.atIso ? -1 : 1;
  if (a.seq.length !== b.seq.length) return a.seq.length - b.seq.length;
  return a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0;
}

/** Shows the toast of a fetcher's successful answer once. */
function useToastOf(fetcher: { data?: unknown; state: string }) {
  const shopify = useAppBridge();
  const shown = useRef<unknown>(null);
  useEffect(() => {
    const answer = fetcher.data as TicketActionData | undefined;
    if (fetcher.state !== "idle" || !answer || shown.current === answer) return;
    shown.current = answer;
    if (answer.ok) shopify.toast.show(answer.toast);
  }, [fetcher.state, fetcher.data, shopify]);
}

function formError(answer: unknown, field = "form"): string | undefined {
  const value = answer as TicketActionData | undefined;
  return value && !value.ok ? value.errors[field]?.[0] : undefined;
}

export default function TicketPage() {
  const loaded = useLoaderData<typeof loader>();
  const { ticket, viewers, me } = loaded;
  const revalidator = useRevalidator();
  const reload = useMemo(() => throttle(() => revalidator.revalidate(), 400), [revalidator]);
  useLiveUpdates({ ticketId: ticket.id, onChange: reload });

  const customerName =
    ticket.customer?.name ?? ticket.customer?.emails[0] ?? formatPhone(ticket.customer?.phones[0]) ?? null;
  return (
    <Page backAction={{ content: "Inbox", url: "/app/inbox" }}>
      {/* The title is the admin's title bar (decision 016); the page shows the ticket's facts under it. */}
      <TitleBar title={`#${ticket.number} ${ticket.subject}`} />
      <Box paddingBlockEnd="400">
        <InlineStack gap="200" blockAlign="center" wrap>
          <Badge tone={ticket.status === "open" ? "attention" : undefined}>{STATUS_LABELS[ticket.status]}</Badge>
          <Badge tone={PRIORITY_TONE[ticket.priority]}>{`${PRIORITY_LABELS[ticket.priority]} priority`}</Badge>
          <Text as="span" tone="subdued">
            {`${CHANNEL_LABELS[ticket.channel]} · ${customerName ?? "No customer yet"} · opened ${ticket.createdAt}`}
          </Text>
        </InlineStack>
      </Box>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Presence viewers={viewers} />
            {!ticket.acceptsMessages && (
              <Banner tone="info" title="This conversation continues in another ticket">
                <p>
                  The customer was changed on this chat, so new messages go to the new ticket.{" "}
                  {ticket.continuedInTicketId && (
                    <RemixLink to={`/app/tickets/${ticket.continuedInTicketId}`}>Open the new ticket</RemixLink>
                  )}
                </p>
              </Banner>
            )}
            {loaded.portalRequest && <PortalRequestCard loaded={loaded} canDecide={Boolean(me)} />}
            <Thread loaded={loaded} />
            {loaded.chat && (
              <ShopperTyping
                typing={loaded.chat.shopperTyping}
                forMs={loaded.chat.shopperTypingForMs}
                name={customerName}
              />
            )}
            <ReplyBox
              ticketId={ticket.id}
              channel={ticket.channel}
              canReply={Boolean(me)}
              customerName={customerName}
              macros={loaded.macros}
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <TicketControls loaded={loaded} />
            <CustomerCard loaded={loaded} />
            <IntegrationWidgets
              widgets={loaded.widgets}
              actionUrl={me ? `/app/tickets/${ticket.id}/widget-action` : null}
            />
            <OrdersCard loaded={loaded} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

const REQUEST_TONE = { received: "attention", approved: "success", declined: "critical", done: "success" } as const;
const REQUEST_TITLES = { return: "Return request", cancel: "Cancellation request", issue: "Issue report" } as const;

/**
 * The shopper's request from the portal: what they asked and, for a return or cancellation still
 * waiting, Approve (done in Shopify, the shopper told) and Decline (with an optional note).
 */
function PortalRequestCard({ loaded, canDecide }: { loaded: Loaded; canDecide: boolean }) {
  const request = loaded.portalRequest!;
  const fetcher = useFetcher<TicketActionData>();
  useToastOf(fetcher);
  const [declining, setDeclining] = useState(false);
  const [note, setNote] = useState("");
  const [declineReason, setDeclineReason] = useState("OTHER");
  const busy = fetcher.state !== "idle" || request.deciding;
  const submit = (fields: Record<string, string>) =>
    fetcher.submit(fields, { method: "post", action: `/app/tickets/${loaded.ticket.id}` });
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) setDeclining(false);
  }, [fetcher.state, fetcher.data]);
  const reason = request.reason
    ? RETURN_REASON_LABELS.en[request.reason as keyof typeof RETURN_REASON_LABELS.en]
    : null;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingSm">
            {`${REQUEST_TITLES[request.kind]} · ${request.orderName}`}
          </Text>
          <Badge tone={REQUEST_TONE[request.status]}>{REQUEST_STATUS_LABELS.en[request.status]}</Badge>
        </InlineStack>
        {request.kind === "return" && (
          <BlockStack gap="100">
            {request.items.map((item, index) => (
              <Text as="p" key={index}>{`${item.quantity} × ${item.title}`}</Text>
            ))}
            {reason && <Text as="p" tone="subdued">{`Reason: ${reason}`}</Text>}
          </BlockStack>
        )}
        {request.kind === "cancel" && <Text as="p">{`The shopper asks to cancel order ${request.orderName}.`}</Text>}
        {request.message && (
          <Text as="p" tone="subdued">
            <span
              style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}
            >{`Their message: ${request.message}`}</span>
          </Text>
        )}
        {request.status !== "received" && (
          <Text as="p" tone="subdued">
            {[
              `${REQUEST_STATUS_LABELS.en[request.status]}${request.decidedBy ? ` by ${request.decidedBy}` : ""}`,
              request.decidedAtLabel,
              request.returnName ? `Shopify return ${request.returnName}` : null,
            ]
              .filter(Boolean)
              .join(" · ")}
            {request.note ? ` · Note to the shopper: ${request.note}` : ""}
          </Text>
        )}
        {formError(fetcher.data) && (
          <Banner tone="critical">
            <p>{formError(fetcher.data)}</p>
          </Banner>
        )}
        {request.deciding && (
          <Text as="p" tone="subdued">
            Someone is deciding this request right now…
          </Text>
        )}
        {request.decidable && !declining && (
          <InlineStack gap="200">
            <Button
              variant="primary"
              loading={fetcher.state !== "idle" && fetcher.formData?.get("intent") === "approve-request"}
              disabled={busy || !canDecide}
              onClick={() => submit({ intent: "approve-request" })}
            >
              {request.kind === "return" ? "Approve return" : "Approve cancellation"}
            </Button>
            <Button disabled={busy || !canDecide} onClick={() => setDeclining(true)}>
              Decline
            </Button>
          </InlineStack>
        )}
        {request.decidable && declining && (
          <BlockStack gap="200">
            {request.kind === "return" && (
              <Select
                label="Reason recorded in Shopify"
                options={Object.entries(RETURN_DECLINE_REASON_LABELS).map(([value, label]) => ({ value, label }))}
                value={declineReason}
                onChange={setDeclineReason}
                error={formError(fetcher.data, "declineReason")}
              />
            )}
            <TextField
              label="Note to the shopper (optional)"
              value={note}
              onChange={setNote}
              multiline={3}
              maxLength={500}
              autoComplete="off"
              helpText="Added to the message the shopper gets, in their language."
              error={formError(fetcher.data, "note")}
            />
            <InlineStack gap="200">
              <Button
                variant="primary"
                tone="critical"
                loading={fetcher.state !== "idle"}
                disabled={busy || !canDecide}
                onClick={() => submit({ intent: "decline-request", note, declineReason })}
              >
                Confirm decline
              </Button>
              <Button disabled={fetcher.state !== "idle"} onClick={() => setDeclining(false)}>
                Cancel
              </Button>
            </InlineStack>
          </BlockStack>
        )}
        {request.decidable && (
          <Text as="p" variant="bodySm" tone="subdued">
            {request.kind === "return"
              ? "Approving files the return in Shopify for these items and approves it; the shopper gets one message in their language."
              : "Approving cancels the order in Shopify with your refund and restock settings; the shopper gets one message in their language."}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

function Presence({ viewers }: { viewers: Loaded["viewers"] }) {
  if (viewers.length === 0) return null;
  const replying = viewers.filter((viewer) => viewer.replying).map((viewer) => viewer.name);
  const viewing = viewers.filter((viewer) => !viewer.replying).map((viewer) => viewer.name);
  const list = (names: string[]) =>
    names.length <= 2 ? names.join(" and ") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return (
    <div data-testid="ticket-presence">
      <Banner tone={replying.length > 0 ? "warning" : "info"}>
        <p>
          {replying.length > 0 && `${list(replying)} ${replying.length === 1 ? "is" : "are"} writing a reply. `}
          {viewing.length > 0 && `${list(viewing)} ${viewing.length === 1 ? "is" : "are"} viewing this ticket.`}
        </p>
      </Banner>
    </div>
  );
}

function Thread({ loaded }: { loaded: Loaded }) {
  const earlier = useFetcher<{ entries: ThreadEntryView[]; hasEarlier: boolean }>();
  // Every entry seen so far, by id: the latest page refreshes with each live update, earlier pages
  // stay once loaded, and an entry that changed (a reply now sent) shows its newest version.
  const [known, setKnown] = useState(() => new Map(loaded.thread.entries.map((entry) => [entry.id, entry])));
  const [hasEarlier, setHasEarlier] = useState(loaded.thread.hasEarlier);
  useEffect(() => {
    setKnown((previous) => {
      const next = new Map(previous);
      for (const entry of loaded.thread.entries) next.set(entry.id, entry);
      return next;
    });
  }, [loaded.thread.entries]);
  useEffect(() => {
    if (!earlier.data) return;
    const page = earlier.data;
    setKnown((previous) => {
      const next = new Map(previous);
      for (const entry of page.entries) next.set(entry.id, entry);
      return next;
    });
    setHasEarlier(page.hasEarlier);
  }, [earlier.data]);
  const entries = [...known.values()].sort(compareEntries);
  const oldest = entries[0];
  return (
    <Card>
      <BlockStack gap="300">
        {hasEarlier && oldest && (
          <InlineStack align="center">
            <Button
              variant="plain"
              loading={earlier.state === "loading"}
              onClick={() => earlier.load(`/app/tickets/${loaded.ticket.id}/thread?before=${oldest.id}`)}
            >
              Show earlier messages
            </Button>
          </InlineStack>
        )}
        <ol
          style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: "12px" }}
          aria-label="Conversation"
        >
          {entries.map((entry) => (
            <li key={entry.id} data-testid={`thread-entry-${entry.kind}`}>
              <ThreadEntry entry={entry} ticketId={loaded.ticket.id} />
              {loaded.chat?.seenEntryId === entry.id && (
                <Box paddingInline="300" paddingBlockStart="100">
                  <InlineStack align="end">
                    <span data-testid="chat-seen">
                      <Text as="span" variant="bodySm" tone="subdued">
                        Seen
                      </Text>
                    </span>
                  </InlineStack>
                </Box>
              )}
            </li>
          ))}
        </ol>
      </BlockStack>
    </Card>
  );
}

const DELIVERY_WORDS = { pending: "Sending…", sent: "Sent", failed: "Not sent" } as const;

function ThreadEntry({ entry, ticketId }: { entry: ThreadEntryView; ticketId: string }) {
  const retry = useFetcher<TicketActionData>();
  useToastOf(retry);
  if (entry.kind === "system_event") {
    return (
      <Box paddingInline="300">
        <Text as="p" variant="bodySm" tone="subdued">
          {entry.text} · {entry.at}
        </Text>
      </Box>
    );
  }
  const background =
    entry.kind === "internal_note"
      ? "bg-surface-caution"
      : entry.kind === "agent_reply"
        ? "bg-surface-info"
        : "bg-surface-secondary";
  const label = entry.kind === "internal_note" ? "Internal note" : entry.kind === "agent_reply" ? "Reply" : null;
  return (
    <Box background={background} padding="300" borderRadius="200">
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="span" fontWeight="semibold">
              {entry.author}
            </Text>
            {label && <Badge size="small">{label}</Badge>}
            {entry.delivery && (
              <Badge
                size="small"
                tone={
                  entry.delivery.status === "failed"
                    ? "critical"
                    : entry.delivery.status === "sent"
                      ? "success"
                      : "attention"
                }
              >
                {DELIVERY_WORDS[entry.delivery.status]}
              </Badge>
            )}
          </InlineStack>
          <Text as="span" variant="bodySm" tone="subdued">
            {entry.at}
          </Text>
        </InlineStack>
        <Text as="p">
          <span style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{entry.body}</span>
        </Text>
        {entry.attachments.length > 0 && (
          <InlineStack gap="200" blockAlign="end">
            {entry.attachments.map((file) =>
              file.image ? (
                <AttachmentImage key={file.id} file={file} />
              ) : (
                <Badge key={file.id}>{`${file.filename} (${fileSize(file.size)})`}</Badge>
              ),
            )}
          </InlineStack>
        )}
        {entry.delivery?.status === "failed" && (
          <InlineStack gap="200" blockAlign="center">
            <Text as="span" tone="critical" variant="bodySm">
              {entry.delivery.error ?? "The reply could not be sent."}
            </Text>
            <retry.Form method="post" action={`/app/tickets/${ticketId}`}>
              <input type="hidden" name="intent" value="retry-delivery" />
              <input type="hidden" name="entryId" value={entry.id} />
              <Button submit size="slim" loading={retry.state !== "idle"}>
                Retry
              </Button>
            </retry.Form>
            {formError(retry.data) && (
              <Text as="span" tone="critical" variant="bodySm">
                {formError(retry.data)}
              </Text>
            )}
          </InlineStack>
        )}
      </BlockStack>
    </Box>
  );
}

const fileSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/**
 * An image a message carries, as a thumbnail that opens full size. Fetched rather than an <img
 * src>: App Bridge adds the session token to the app's fetch requests, an image request has none.
 */
function AttachmentImage({ file }: { file: ThreadEntryView["attachments"][number] }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    let objectUrl: string | null = null;
    let cancelled = false;
    fetch(`/app/attachments/${file.id}`)
      .then(async (response) => {
        if (!response.ok) throw new Error(`attachment answered ${response.status}`);
        const blob = await response.blob();
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [file.id]);
  const label = `${file.filename} (${fileSize(file.size)})`;
  if (failed) return <Badge tone="warning">{`${label}: could not be shown`}</Badge>;
  if (!url) {
    return (
      <Box background="bg-surface-secondary" borderRadius="200" padding="200" minHeight="96px" minWidth="96px">
        <Text as="span" variant="bodySm" tone="subdued">
          {`Loading ${file.filename}…`}
        </Text>
      </Box>
    );
  }
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        title={`Open ${file.filename} full size`}
        aria-label={`Open ${file.filename} full size`}
        data-testid="attachment-thumbnail"
        style={{ padding: 0, border: "none", background: "none", cursor: "zoom-in", borderRadius: 8 }}
      >
        <img
          src={url}
          alt={file.filename}
          style={{ display: "block", maxWidth: 160, maxHeight: 120, objectFit: "cover", borderRadius: 8 }}
        />
      </button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={file.filename}
        size="large"
        secondaryActions={[{ content: "Close", onAction: () => setOpen(false) }]}
      >
        <Modal.Section>
          <BlockStack gap="200" inlineAlign="center">
            <img src={url} alt={file.filename} style={{ maxWidth: "100%", height: "auto" }} />
            <a href={url} download={file.filename}>
              {`Download ${label}`}
            </a>
          </BlockStack>
        </Modal.Section>
      </Modal>
    </>
  );
}

/**
 * "… is typing" while the shopper types in the widget. Their typing mark is renewed while they
 * type and simply runs out when they stop (nothing announces that), so the page hides it itself.
 */
function ShopperTyping({ typing, forMs, name }: { typing: boolean; forMs: number; name: string | null }) {
  const [visible, setVisible] = useState(typing);
  useEffect(() => {
    setVisible(typing);
    if (!typing) return;
    const timer = setTimeout(() => setVisible(false), forMs);
    return () => clearTimeout(timer);
  }, [typing, forMs]);
  return (
    <div aria-live="polite" data-testid="shopper-typing" style={{ minHeight: 20 }}>
      {visible && (
        <Box paddingInline="300">
          <Text as="p" variant="bodySm" tone="subdued">
            {`${name ?? "The customer"} is typing…`}
          </Text>
        </Box>
      )}
    </div>
  );
}

/** On a chat, a draft left untouched this long no longer shows the shopper "typing". */
const CHAT_TYPING_IDLE_MS = 15_000;

function ReplyBox({
  ticketId,
  channel,
  canReply,
  customerName,
  macros,
}: {
  ticketId: string;
  channel: string;
  canReply: boolean;
  customerName: string | null;
  macros: Loaded["macros"];
}) {
  const fetcher = useFetcher<TicketActionData>();
  const presence = useFetcher();
  const macroFetcher = useFetcher<TicketActionData>();
  useToastOf(fetcher);
  useToastOf(macroFetcher);
  const [mode, setMode] = useState<"reply" | "note">("reply");
  const [body, setBody] = useState("");
  const [macro, setMacro] = useState<MacroPreview | null>(null);
  const sending = fetcher.state !== "idle";
  const answer = fetcher.data;

  // Clear the box once the server accepted what was in it.
  useEffect(() => {
    if (fetcher.state === "idle" && answer?.ok) {
      setBody("");
      setMacro(null);
    }
  }, [fetcher.state, answer]);

  // A picked macro's text, filled in for this ticket, goes into the box (after what is there).
  const inserted = useRef<unknown>(null);
  useEffect(() => {
    const preview = macroFetcher.data;
    if (macroFetcher.state !== "idle" || !preview?.ok || !preview.macroPreview || inserted.current === preview) return;
    inserted.current = preview;
    const chosen = preview.macroPreview;
    setMode("reply");
    setBody((current) => (current.trim().length > 0 ? `${current.trimEnd()}\n\n${chosen.body}` : chosen.body));
    setMacro(chosen);
  }, [macroFetcher.state, macroFetcher.data]);

  // On a chat the shopper sees this as the agent typing: a draft nobody touched for a while is not.
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    setIdle(false);
    if (channel !== "chat") return;
    const timer = setTimeout(() => setIdle(true), CHAT_TYPING_IDLE_MS);
    return () => clearTimeout(timer);
  }, [body, channel]);

  // Other agents see "writing a reply" while there is a draft (told once per change).
  const replying = mode === "reply" && body.trim().length > 0 && !idle;
  const told = useRef(false);
  useEffect(() => {
    if (told.current === replying) return;
    told.current = replying;
    presence.submit({ ticketId, replying: String(replying) }, { method: "post", action: "/app/live" });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `presence.submit` changes identity every render
  }, [replying, ticketId]);

  return (
    <Card>
      <fetcher.Form method="post" action={`/app/tickets/${ticketId}`}>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <ButtonGroup variant="segmented">
              <Button pressed={mode === "reply"} onClick={() => setMode("reply")}>
                Reply
              </Button>
              <Button pressed={mode === "note"} onClick={() => setMode("note")}>
                Internal note
              </Button>
            </ButtonGroup>
          </InlineStack>
          <input type="hidden" name="intent" value={mode} />
          {mode === "reply" && macro && <input type="hidden" name="macroId" value={macro.macroId} />}
          {mode === "reply" && (
            <MacroPicker
              macros={macros}
              disabled={!canReply || macroFetcher.state !== "idle"}
              onSelect={(macroId) =>
                macroFetcher.submit(
                  { intent: "macro-preview", macroId },
                  { method: "post", action: `/app/tickets/${ticketId}` },
                )
              }
            />
          )}
          {formError(macroFetcher.data) && (
            <Text as="p" tone="critical">
              {formError(macroFetcher.data)}
            </Text>
          )}
          {mode === "reply" && macro && (
            <Banner
              tone={macro.missing.length > 0 ? "warning" : "info"}
              title={`Macro: ${macro.name}`}
              onDismiss={() => setMacro(null)}
            >
              <BlockStack gap="100">
                {macro.actions.length > 0 && (
                  <p>When you send this reply, Shopdesk will also: {macro.actions.join("; ")}.</p>
                )}
                {macro.missing.length > 0 && (
                  <p>
                    No value for {macro.missing.map(({ label }) => label.toLowerCase()).join(", ")} on this ticket:
                    check the text before sending.
                  </p>
                )}
              </BlockStack>
            </Banner>
          )}
          <TextField
            label={mode === "reply" ? `Reply to ${customerName ?? "the customer"}` : "Note for your team"}
            labelHidden
            name="body"
            value={body}
            onChange={setBody}
            multiline={5}
            autoComplete="off"
            placeholder={
              mode === "reply" ? `Write to ${customerName ?? "the customer"}…` : "Only agents see internal notes…"
            }
            error={formError(answer, "body") ?? formError(answer)}
            disabled={!canReply}
            helpText={
              canReply ? undefined : "Shopify could not say which staff member you are; reload the page to reply."
            }
          />
          <InlineStack align="end">
            <Button submit variant="primary" loading={sending} disabled={!canReply || body.trim().length === 0}>
              {mode === "reply" ? "Send reply" : "Add note"}
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}

/** Local time of the agent's computer as the value of a datetime-local input. */
function localInputValue(date: Date) {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function TicketControls({ loaded }: { loaded: Loaded }) {
  const { ticket, agents, me } = loaded;
  const fetcher = useFetcher<TicketActionData>();
  useToastOf(fetcher);
  const submit = (fields: Record<string, string>) =>
    fetcher.submit(fields, { method: "post", action: `/app/tickets/${ticket.id}` });
  const [tags, setTags] = useState(ticket.tags.join(", "));
  useEffect(() => setTags(ticket.tags.join(", ")), [ticket.tags]);
  const [snoozeAt, setSnoozeAt] = useState(() => {
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(9, 0, 0, 0);
    return localInputValue(tomorrow);
  });
  const busy = fetcher.state !== "idle";
  const snooze = () => {
    const until = new Date(snoozeAt);
    submit({ intent: "snooze", until: Number.isNaN(until.getTime()) ? "" : until.toISOString() });
  };

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          Ticket
        </Text>
        {formError(fetcher.data) && (
          <Banner tone="critical">
            <p>{formError(fetcher.data)}</p>
          </Banner>
        )}
        {ticket.status === "snoozed" && ticket.snoozedUntilLabel && (
          <Text as="p" tone="subdued">
            Snoozed until {ticket.snoozedUntilLabel}
          </Text>
        )}
        <InlineStack gap="200">
          {ticket.status === "closed" ? (
            <Button onClick={() => submit({ intent: "status", to: "open" })} disabled={busy}>
              Reopen
            </Button>
          ) : (
            <Button variant="primary" onClick={() => submit({ intent: "status", to: "closed" })} disabled={busy}>
              Close ticket
            </Button>
          )}
          {ticket.status === "snoozed" && (
            <Button onClick={() => submit({ intent: "status", to: "open" })} disabled={busy}>
              Wake now
            </Button>
          )}
        </InlineStack>
        <BlockStack gap="200">
          <TextField
            label="Snooze until (your computer's time)"
            type="datetime-local"
            value={snoozeAt}
            onChange={setSnoozeAt}
            autoComplete="off"
            error={formError(fetcher.data, "until")}
          />
          <InlineStack>
            <Button onClick={snooze} disabled={busy}>
              Snooze
            </Button>
          </InlineStack>
        </BlockStack>
        <Divider />
        <Select
          label="Assignee"
          options={[
            { label: "Unassigned", value: "" },
            ...agents.map((agent) => ({
              label: agent.id === me?.id ? `${agent.name} (you)` : agent.name,
              value: agent.id,
            })),
          ]}
          value={ticket.assigneeId ?? ""}
          onChange={(agentId) => submit({ intent: "assign", agentId })}
          disabled={busy}
        />
        {me && ticket.assigneeId !== me.id && (
          <Button variant="plain" onClick={() => submit({ intent: "assign", agentId: me.id })} disabled={busy}>
            Assign to me
          </Button>
        )}
        <Select
          label="Priority"
          options={TICKET_PRIORITIES.map((value) => ({ label: PRIORITY_LABELS[value], value }))}
          value={ticket.priority}
          onChange={(priority) => submit({ intent: "priority", priority })}
          disabled={busy}
        />
        <TextField
          label="Tags"
          value={tags}
          onChange={setTags}
          autoComplete="off"
          helpText="Separate tags with commas."
          error={formError(fetcher.data, "tags")}
          connectedRight={
            <Button onClick={() => submit({ intent: "tags", tags })} disabled={busy}>
              Save
            </Button>
          }
        />
      </BlockStack>
    </Card>
  );
}

function CustomerCard({ loaded }: { loaded: Loaded }) {
  const { customer: sidebar, ticket } = loaded;
  const [choosing, setChoosing] = useState(!sidebar);
  const pastTickets = sidebar?.tickets.filter(({ id }) => id !== ticket.id) ?? [];
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingSm">
            Customer
          </Text>
          {sidebar && (
            <Button variant="plain" onClick={() => setChoosing((open) => !open)}>
              {choosing ? "Cancel" : "Change customer"}
            </Button>
          )}
        </InlineStack>
        {loaded.chat?.onStore && (
          <span data-testid="chat-online">
            <InlineStack gap="200" blockAlign="center">
              <Badge tone="success">Online now</Badge>
              {loaded.chat.onStore.pageTitle && (
                <Text as="span" variant="bodySm" tone="subdued">
                  {`on ${loaded.chat.onStore.pageTitle}`}
                </Text>
              )}
            </InlineStack>
          </span>
        )}
        {sidebar ? (
          <BlockStack gap="100">
            <RemixLink to={`/app/customers/${sidebar.customer.id}`}>
              {sidebar.customer.name ??
                sidebar.customer.emails[0] ??
                formatPhone(sidebar.customer.phones[0]) ??
                "Unnamed customer"}
            </RemixLink>
            {sidebar.customer.emails.map((email) => (
              <Text as="p" key={email} tone="subdued">
                {email}
              </Text>
            ))}
            {sidebar.customer.phones.map((phone) => (
              <Text as="p" key={phone} tone="subdued">
                {formatPhone(phone)}
              </Text>
            ))}
            {sidebar.customer.location && (
              <Text as="p" tone="subdued">
                {sidebar.customer.location}
                {sidebar.customer.localTime ? ` · ${sidebar.customer.localTime} there` : ""}
              </Text>
            )}
            {sidebar.customer.lastSeenOnChat && !loaded.chat?.onStore && (
              <span title={sidebar.customer.lastSeenOnChat.at ?? undefined} data-testid="last-seen-on-chat">
                <Text as="p" tone="subdued">
                  {`Last seen on chat ${sidebar.customer.lastSeenOnChat.ago}`}
                </Text>
              </span>
            )}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            No customer matched this ticket. Find them below to see their orders and history.
          </Text>
        )}
        {choosing && <SetCustomer ticketId={ticket.id} channel={ticket.channel} />}
        {sidebar && (
          <>
            <Divider />
            <CustomerNoteEditor
              key={sidebar.customer.id}
              note={sidebar.note.text}
              version={sidebar.note.version}
              syncNotice={sidebar.note.notice}
              action={`/app/customers/${sidebar.customer.id}`}
            />
            {sidebar.shops.map((store) => (
              <BlockStack gap="100" key={store.domain}>
                <Divider />
                <Text as="h3" variant="headingXs">
                  {`Orders at ${store.name}`}
                </Text>
                {store.orders.length === 0 && (
                  <Text as="p" tone="subdued">
                    No orders.
                  </Text>
                )}
                {store.orders.slice(0, 5).map((order) => (
                  <InlineStack key={order.id} align="space-between" gap="100">
                    {order.timelineUrl ? (
                      <RemixLink to={order.timelineUrl}>{order.name}</RemixLink>
                    ) : (
                      <Text as="span">{order.name}</Text>
                    )}
                    <Text as="span" tone="subdued" variant="bodySm">
                      {`${order.statusLabel} · ${order.total}`}
                    </Text>
                  </InlineStack>
                ))}
              </BlockStack>
            ))}
            {pastTickets.length > 0 && (
              <BlockStack gap="100">
                <Divider />
                <Text as="h3" variant="headingXs">
                  Other tickets
                </Text>
                {pastTickets.slice(0, 5).map((past) => (
                  <InlineStack key={past.id} align="space-between" gap="100">
                    <RemixLink to={past.url}>{`#${past.number} ${past.subject}`}</RemixLink>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {past.statusLabel}
                    </Text>
                  </InlineStack>
                ))}
              </BlockStack>
            )}
          </>
        )}
      </BlockStack>
    </Card>
  );
}

/** Search the workspace's customers and set one on the ticket (a live chat continues in a new ticket). */
function SetCustomer({ ticketId, channel }: { ticketId: string; channel: string }) {
  const search = useFetcher<{
    customers: { id: string; label: string; email: string | null; phone: string | null }[];
  }>();
  const setter = useFetcher<TicketActionData>();
  const navigate = useNavigate();
  useToastOf(setter);
  const [query, setQuery] = useState("");
  useEffect(() => {
    const answer = setter.data;
    if (setter.state === "idle" && answer?.ok && answer.continuedInTicketId) {
      navigate(`/app/tickets/${answer.continuedInTicketId}`);
    }
  }, [setter.state, setter.data, navigate]);
  return (
    <BlockStack gap="200">
      <TextField
        label="Find a customer"
        placeholder="Name, email or phone"
        value={query}
        autoComplete="off"
        onChange={(value) => {
          setQuery(value);
          if (value.trim().length >= 2) {
            search.load(`/app/tickets/${ticketId}/customers?q=${encodeURIComponent(value)}`);
          }
        }}
        helpText={
          channel === "chat"
            ? "On a live chat, the conversation continues in a new ticket for the customer you choose."
            : undefined
        }
      />
      {search.data?.customers.length === 0 && query.trim().length >= 2 && (
        <Text as="p" tone="subdued">
          No customer matches.
        </Text>
      )}
      {search.data?.customers.map((customer) => (
        <InlineStack key={customer.id} align="space-between" blockAlign="center" gap="100">
          <BlockStack gap="0">
            <Text as="span">{customer.label}</Text>
            <Text as="span" tone="subdued" variant="bodySm">
              {[customer.email, customer.phone].filter(Boolean).join(" · ")}
            </Text>
          </BlockStack>
          <Button
            size="slim"
            loading={setter.state !== "idle"}
            onClick={() =>
              setter.submit(
                { intent: "set-customer", customerId: customer.id },
                { method: "post", action: `/app/tickets/${ticketId}` },
              )
            }
          >
            Set
          </Button>
        </InlineStack>
      ))}
      {formError(setter.data) && (
        <Text as="p" tone="critical">
          {formError(setter.data)}
        </Text>
      )}
    </BlockStack>
  );
}

function OrdersCard({ loaded }: { loaded: Loaded }) {
  const { orders, orderChoices, ticket } = loaded;
  const fetcher = useFetcher<TicketActionData>();
  useToastOf(fetcher);
  const [choice, setChoice] = useState("");
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          Orders
        </Text>
        {orders.length === 0 && (
          <Text as="p" tone="subdued">
            No order is linked to this ticket.
          </Text>
        )}
        {orders.map((order) => (
          <BlockStack key={order.id} gap="100">
            <InlineStack align="space-between" blockAlign="center">
              {order.url ? (
                <RemixLink to={order.url}>{order.name}</RemixLink>
              ) : (
                <Text as="span" fontWeight="semibold">
                  {order.name}
                </Text>
              )}
              <Badge>{order.status.label}</Badge>
            </InlineStack>
            {order.status.detail && (
              <Text as="p" variant="bodySm" tone="subdued">
                {order.status.detail}
              </Text>
            )}
            {order.timeline.map((event, index) => (
              <Text as="p" variant="bodySm" tone="subdued" key={index}>
                {event.label}
                {event.at ? ` · ${event.at}` : ""}
              </Text>
            ))}
            <InlineStack>
              <Button
                variant="plain"
                tone="critical"
                onClick={() =>
                  fetcher.submit(
                    { intent: "unlink-order", orderId: order.id },
                    { method: "post", action: `/app/tickets/${ticket.id}` },
                  )
                }
              >
                Unlink
              </Button>
            </InlineStack>
          </BlockStack>
        ))}
        {orderChoices.length > 0 && (
          <Select
            label="Link an order"
            options={[
              { label: "Choose an order", value: "" },
              ...orderChoices.map((o) => ({ label: o.name, value: o.id })),
            ]}
            value={choice}
            onChange={(orderId) => {
              setChoice("");
              if (orderId)
                fetcher.submit(
                  { intent: "link-order", orderId },
                  { method: "post", action: `/app/tickets/${ticket.id}` },
                );
            }}
          />
        )}
        {formError(fetcher.data) && (
          <Text as="p" tone="critical">
            {formError(fetcher.data)}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

// Inside the app's layout: the navigation stays and the agent has a way back.
export function ErrorBoundary() {
  return (
    <RouteErrorPage
      error={useRouteError()}
      embedded
      notFound={{
        title: "Ticket not found",
        heading: "We couldn't find this ticket",
        message: "The link may be out of date, or the ticket belongs to another workspace.",
        action: { content: "Back to the inbox", url: "/app/inbox" },
      }}
    />
  );
}

import { Form, useActionData, useFetcher, useNavigation } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  ChoiceList,
  InlineGrid,
  InlineStack,
  Link,
  ResourceItem,
  ResourceList,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { profileLabel, type MergeActionData } from "./customer-merge";
import { formatPhone } from "./formatting";

// The profile page's tickets and merge cards: props in, forms out (the route's action does the work).

export interface PastTicket {
  id: string;
  number: number;
  subject: string;
  statusLabel: string;
  channelLabel: string;
  lastMessage: string | null;
  url: string;
}

export function PastTicketsCard({ tickets }: { tickets: PastTicket[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Tickets
        </Text>
        {tickets.length === 0 ? (
          <Text as="p" tone="subdued">
            No tickets from this customer yet.
          </Text>
        ) : (
          <BlockStack gap="200" as="ul">
            {tickets.map((ticket) => (
              <li key={ticket.id} style={{ listStyle: "none" }}>
                <InlineStack gap="200" blockAlign="center" wrap={false}>
                  <Link url={ticket.url} accessibilityLabel={`Ticket #${ticket.number}: ${ticket.subject}`}>
                    #{ticket.number}
                  </Link>
                  <Text as="span" truncate>
                    {ticket.subject}
                  </Text>
                  <Badge tone={ticket.statusLabel === "Open" ? "attention" : undefined}>{ticket.statusLabel}</Badge>
                </InlineStack>
                <Text as="p" variant="bodySm" tone="subdued">
                  {ticket.channelLabel}
                  {ticket.lastMessage ? ` · ${ticket.lastMessage}` : ""}
                </Text>
              </li>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

interface Candidate {
  id: string;
  label: string;
  detail: string;
}

/** Profiles that look like this one, and a search for any other: each opens the side-by-side chooser. */
export function MergeCandidatesCard({
  suggestions,
  search,
}: {
  suggestions: Candidate[];
  search: { q: string; results: Candidate[] | null };
}) {
  const [q, setQ] = useState(search.q);
  const navigation = useNavigation();
  const list = (items: Candidate[]) => (
    <ResourceList
      items={items}
      renderItem={(item) => (
        <ResourceItem id={item.id} url={`?compare=${item.id}`} accessibilityLabel={`Compare with ${item.label}`}>
          <BlockStack gap="050">
            <Text as="span" fontWeight="semibold">
              {item.label}
            </Text>
            <Text as="span" tone="subdued" variant="bodySm">
              {item.detail}
            </Text>
          </BlockStack>
        </ResourceItem>
      )}
    />
  );
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Merge with another profile
        </Text>
        {suggestions.length > 0 ? (
          <BlockStack gap="100">
            <Text as="p" tone="subdued">
              These profiles may be the same person:
            </Text>
            {list(suggestions)}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            No other profile shares an email, phone, or name and address with this one.
          </Text>
        )}
        <Form method="get">
          <BlockStack gap="200">
            <TextField
              label="Find a profile to merge"
              name="mergeWith"
              value={q}
              onChange={setQ}
              autoComplete="off"
              placeholder="Name, email or phone"
              connectedRight={
                <Button submit loading={navigation.state === "loading" && navigation.formMethod === "GET"}>
                  Search
                </Button>
              }
            />
          </BlockStack>
        </Form>
        {search.results === null ? null : search.results.length === 0 ? (
          <Text as="p" tone="subdued">
            No other customer matches “{search.q}”.
          </Text>
        ) : (
          list(search.results)
        )}
      </BlockStack>
    </Card>
  );
}

export interface MergeSide {
  id: string;
  name: string | null;
  emails: string[];
  phones: string[];
  note: string | null;
}

/** Both profiles side by side: the agent picks the name, note and primary contact, then confirms. */
export function MergeChooser({
  self,
  other,
  refusal,
  days,
  ticketsToMove,
}: {
  self: MergeSide;
  other: MergeSide;
  refusal: string | null;
  days: number;
  ticketsToMove: number;
}) {
  const actionData = useActionData<MergeActionData>();
  const navigation = useNavigation();
  const [name, setName] = useState(["this"]);
  const [note, setNote] = useState([self.note && other.note ? "both" : other.note && !self.note ? "other" : "this"]);
  const emails = [...new Set([...self.emails, ...other.emails])];
  const phones = [...new Set([...self.phones, ...other.phones])];
  const [primaryEmail, setPrimaryEmail] = useState(emails[0] ?? "");
  const [primaryPhone, setPrimaryPhone] = useState(phones[0] ?? "");
  const [confirming, setConfirming] = useState(false);
  const selfLabel = profileLabel(self);
  const otherLabel = profileLabel(other);
  const refused =
    actionData && (actionData.status === "refused" || actionData.status === "invalid") ? actionData : null;

  const noteText = (value: string | null) => (value ? value : "No note");
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Merge {otherLabel} into this profile
        </Text>
        {refusal ? (
          <Banner tone="critical" title="These customers cannot be merged">
            <p>{refusal}</p>
          </Banner>
        ) : null}
        {refused ? (
          <Banner tone="critical" title="The merge did not happen">
            <p>
              {refused.status === "refused"
                ? refused.message
                : Object.values(refused.errors).flat().join(" ") || "Check your choices and try again."}
            </p>
          </Banner>
        ) : null}
        <InlineGrid columns={2} gap="400">
          {[
            { title: `This profile: ${selfLabel}`, side: self },
            { title: `Other profile: ${otherLabel}`, side: other },
          ].map(({ title, side }) => (
            <Box key={side.id} padding="300" background="bg-surface-secondary" borderRadius="200">
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm">
                  {title}
                </Text>
                <Text as="p">{side.emails.join(", ") || "No email"}</Text>
                <Text as="p">{side.phones.map((phone) => formatPhone(phone)).join(", ") || "No phone"}</Text>
                <Text as="p" tone="subdued" breakWord>
                  <span style={{ whiteSpace: "pre-wrap" }}>{noteText(side.note)}</span>
                </Text>
              </BlockStack>
            </Box>
          ))}
        </InlineGrid>
        {refusal ? null : (
          <Form method="post">
            <input type="hidden" name="intent" value="merge" />
            <input type="hidden" name="otherId" value={other.id} />
            <input type="hidden" name="name" value={name[0]} />
            <input type="hidden" name="note" value={note[0]} />
            <BlockStack gap="300">
              <ChoiceList
                title="Name to keep"
                choices={[
                  { label: self.name ?? "(no name)", value: "this" },
                  { label: other.name ?? "(no name)", value: "other" },
                ]}
                selected={name}
                onChange={setName}
              />
              <ChoiceList
                title="Note to keep"
                choices={[
                  { label: "This profile's note", value: "this" },
                  { label: "The other profile's note", value: "other" },
                  { label: "Both notes, one after the other", value: "both" },
                ]}
                selected={note}
                onChange={setNote}
              />
              {emails.length > 1 ? (
                <Select
                  label="Primary email (all emails are kept)"
                  name="primaryEmail"
                  options={emails}
                  value={primaryEmail}
                  onChange={setPrimaryEmail}
                />
              ) : null}
              {phones.length > 1 ? (
                <Select
                  label="Primary phone (all phones are kept)"
                  name="primaryPhone"
                  options={phones.map((phone) => ({ label: formatPhone(phone) ?? phone, value: phone }))}
                  value={primaryPhone}
                  onChange={setPrimaryPhone}
                />
              ) : null}
              {confirming ? (
                <Banner tone="warning" title={`Merge ${otherLabel} into ${selfLabel}?`}>
                  <BlockStack gap="200">
                    <p>
                      {otherLabel}&apos;s profile will be removed; {ticketsToMove === 1 ? "its ticket" : "its tickets"},
                      messages and Shopify customers move here. You can undo this for {days} days from this page&apos;s
                      merge history.
                    </p>
                    <InlineStack gap="200">
                      <Button submit variant="primary" loading={navigation.state === "submitting"}>
                        Merge customers
                      </Button>
                      <Button onClick={() => setConfirming(false)}>Cancel</Button>
                    </InlineStack>
                  </BlockStack>
                </Banner>
              ) : (
                <InlineStack gap="200">
                  <Button variant="primary" onClick={() => setConfirming(true)}>
                    Merge…
                  </Button>
                  <Button url="?">Cancel</Button>
                </InlineStack>
              )}
            </BlockStack>
          </Form>
        )}
      </BlockStack>
    </Card>
  );
}

export interface MergeHistoryEntry {
  id: string;
  mergedName: string | null;
  when: string | null;
  mergedBy: string | null;
  undone: string | null;
  undoableUntil: string | null;
  canUndo: boolean;
  whyNot: string | null;
}

function UndoButton({ entry }: { entry: MergeHistoryEntry }) {
  const fetcher = useFetcher<MergeActionData>();
  const shopify = useAppBridge();
  useEffect(() => {
    const answer = fetcher.data;
    if (fetcher.state !== "idle" || !answer) return;
    if (answer.status === "undone") shopify.toast.show(answer.message);
    if (answer.status === "refused") shopify.toast.show(answer.message, { isError: true });
  }, [fetcher.state, fetcher.data, shopify]);
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="undo-merge" />
      <input type="hidden" name="mergeId" value={entry.id} />
      <Button submit size="slim" loading={fetcher.state !== "idle"}>
        Undo
      </Button>
    </fetcher.Form>
  );
}

export function MergeHistoryCard({ merges, days }: { merges: MergeHistoryEntry[]; days: number }) {
  if (merges.length === 0) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Merge history
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          A merge can be undone for {days} days: both profiles, their tickets and Shopify customers come back as they
          were.
        </Text>
        <BlockStack gap="200" as="ul">
          {merges.map((entry) => (
            <li key={entry.id} style={{ listStyle: "none" }}>
              <InlineStack gap="200" align="space-between" blockAlign="center" wrap={false}>
                <BlockStack gap="050">
                  <Text as="span">
                    {entry.mergedName ?? "A profile"} merged in{entry.when ? ` on ${entry.when}` : ""}
                    {entry.mergedBy ? ` by ${entry.mergedBy}` : ""}
                  </Text>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {entry.undone
                      ? `Undone on ${entry.undone}`
                      : entry.canUndo
                        ? `Can be undone until ${entry.undoableUntil}`
                        : entry.whyNot}
                  </Text>
                </BlockStack>
                {entry.canUndo ? <UndoButton entry={entry} /> : null}
              </InlineStack>
            </li>
          ))}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}

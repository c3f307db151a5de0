import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, InlineGrid, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { NOTE_MAX_LENGTH, sameNote, savedMessage, type NoteActionData, type NoteFormInput } from "./customer-note";

export interface CustomerNoteEditorProps {
  note: string | null;
  version: number;
  /** Why this note stays in Shopdesk (several linked Shopify customers, sync off...), or null. */
  syncNotice: string | null;
  /** The route whose action saves the note (intent "save-note"); defaults to the current route. */
  action?: string;
}

type Conflict = Extract<NoteActionData, { status: "conflict" }>;

function NoteVersion({ title, note }: { title: string; note: string | null }) {
  return (
    <Box padding="300" background="bg-surface-secondary" borderRadius="200">
      <BlockStack gap="100">
        <Text as="h4" variant="headingSm">
          {title}
        </Text>
        {note ? (
          <Text as="p" breakWord>
            <span style={{ whiteSpace: "pre-wrap" }}>{note}</span>
          </Text>
        ) : (
          <Text as="p" tone="subdued">
            Empty note
          </Text>
        )}
      </BlockStack>
    </Box>
  );
}

/**
 * The agent's note on a customer: saved when the field loses focus. A save based on an old version
 * comes back as a conflict, and the agent picks which text wins; nothing is overwritten silently.
 */
export function CustomerNoteEditor({ note, version, syncNotice, action }: CustomerNoteEditorProps) {
  const fetcher = useFetcher<NoteActionData>();
  const [value, setValue] = useState(note ?? "");
  // The last text and version the server confirmed: what a save is based on.
  const [saved, setSaved] = useState({ note, version });
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const submitted = useRef<string | null>(null);
  // The field lost focus while a save was on its way: save again once it is back.
  const saveAgain = useRef(false);
  const tookTheirs = useRef(false);

  // Another save (a colleague, a Shopify webhook) reached the page through the loader: adopt it
  // unless the agent is in the middle of their own change.
  useEffect(() => {
    if (version <= saved.version) return;
    if (sameNote(value, saved.note) && !conflict && fetcher.state === "idle") {
      setValue(note ?? "");
      setSaved({ note, version });
    }
    // Only a newer server version is news; typing must not trigger this.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [note, version]);

  useEffect(() => {
    const result = fetcher.data;
    if (fetcher.state !== "idle" || !result) return;
    if (result.status === "saved") {
      setSaved({ note: result.note, version: result.version });
      setConflict(null);
      setMessage(tookTheirs.current ? "Kept the other version" : savedMessage(result));
      // Show what was stored (e.g. the Shopify version the agent chose) unless they typed on since.
      if (submitted.current === null || value === submitted.current) setValue(result.note ?? "");
      else if (saveAgain.current && !sameNote(value, result.note)) {
        saveAgain.current = false;
        submit({ intent: "save-note", note: value, baseVersion: String(result.version) });
        return;
      }
    } else if (result.status === "conflict") {
      setConflict(result);
      setMessage(null);
    }
    submitted.current = null;
    saveAgain.current = false;
    // Reacts to a new answer only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);

  const submit = (input: NoteFormInput) => {
    submitted.current = input.note;
    tookTheirs.current = input.resolution === "take-theirs";
    fetcher.submit({ ...input }, { method: "post", ...(action ? { action } : {}) });
  };

  const saveIfChanged = () => {
    if (conflict || sameNote(value, saved.note)) return;
    if (fetcher.state !== "idle") {
      saveAgain.current = true;
      return;
    }
    submit({ intent: "save-note", note: value, baseVersion: String(saved.version) });
  };

  const resolve = (resolution: "keep-mine" | "take-theirs") => {
    if (!conflict) return;
    submit({
      intent: "save-note",
      note: resolution === "keep-mine" ? value : (conflict.theirs ?? ""),
      baseVersion: String(conflict.version),
      resolution,
    });
  };

  const busy = fetcher.state !== "idle";
  const resolving = busy ? fetcher.formData?.get("resolution") : null;
  const error = fetcher.data?.status === "invalid" ? Object.values(fetcher.data.errors).flat()[0] : undefined;
  // "agent" means the note's version moved under the editor: usually a colleague, but an edit in
  // Shopify that reached us by webhook moves it too, so the wording does not claim who it was.
  const theirsTitle = conflict?.source === "shopify" ? "In Shopify" : "Saved by someone else";

  return (
    <BlockStack gap="300">
      {syncNotice && (
        <Banner tone="info">
          <p>{syncNotice}</p>
        </Banner>
      )}
      <TextField
        label="Note"
        value={value}
        onChange={setValue}
        onBlur={saveIfChanged}
        multiline={4}
        autoComplete="off"
        maxLength={NOTE_MAX_LENGTH}
        showCharacterCount={value.length > NOTE_MAX_LENGTH * 0.8}
        error={error}
        helpText="Saved when you leave the field."
      />
      <div role="status" aria-live="polite">
        {busy && !resolving ? (
          <Text as="p" tone="subdued">
            Saving…
          </Text>
        ) : message && !conflict ? (
          <Text as="p" tone="subdued">
            {message}
          </Text>
        ) : null}
      </div>
      {conflict && (
        <Banner
          tone="warning"
          title={
            conflict.source === "shopify"
              ? "This note changed in Shopify while you were editing"
              : "This note was saved by someone else while you were editing"
          }
        >
          <BlockStack gap="300">
            <p>Choose which version to keep. The other one is replaced.</p>
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
              <NoteVersion title={theirsTitle} note={conflict.theirs} />
              <NoteVersion title="Your edit" note={value.trim() === "" ? null : value} />
            </InlineGrid>
            <InlineStack gap="200">
              <Button
                variant="primary"
                onClick={() => resolve("keep-mine")}
                loading={resolving === "keep-mine"}
                disabled={busy}
              >
                Keep my edit
              </Button>
              <Button onClick={() => resolve("take-theirs")} loading={resolving === "take-theirs"} disabled={busy}>
                {conflict.source === "shopify" ? "Use the Shopify version" : "Use their version"}
              </Button>
            </InlineStack>
          </BlockStack>
        </Banner>
      )}
    </BlockStack>
  );
}

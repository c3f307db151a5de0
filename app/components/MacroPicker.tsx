import { Badge, BlockStack, Box, Combobox, InlineStack, Link, Listbox, Text } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { isMacroLanguage, MACRO_LANGUAGE_LABELS } from "~/domain/macro-template";
import { filterMacros, type MacroPickerItem } from "./macro-picker";

// The reply box's macro picker: a search field that opens the list of macros (name, language,
// first line of the text filled in for the ticket). Arrow keys move through the list, Enter picks,
// Escape closes (Polaris Combobox). Props in, choice out: the ticket page renders the macro for the
// ticket (renderMacroForTicket) when one is picked. No server code and no zod in here.

export interface MacroPickerProps {
  /** From macroPickerOptions (app/services/macros.server.ts), in the order to show them. */
  macros: MacroPickerItem[];
  onSelect(macroId: string): void;
  disabled?: boolean;
}

const languageName = (language: string) =>
  isMacroLanguage(language) ? MACRO_LANGUAGE_LABELS[language] : language.toUpperCase();

export function MacroPicker({ macros, onSelect, disabled = false }: MacroPickerProps) {
  const [query, setQuery] = useState("");
  const shown = useMemo(() => filterMacros(macros, query), [macros, query]);

  const pick = (macroId: string) => {
    onSelect(macroId);
    setQuery("");
  };

  return (
    <Combobox
      activator={
        <Combobox.TextField
          label="Insert a macro"
          labelHidden
          placeholder="Insert a macro: search by name or text"
          value={query}
          onChange={setQuery}
          autoComplete="off"
          disabled={disabled}
          clearButton
          onClearButtonClick={() => setQuery("")}
        />
      }
      preferredPosition="above"
      height="320px"
    >
      {shown.length > 0 ? (
        <Listbox onSelect={pick} accessibilityLabel="Macros">
          {shown.map((macro) => (
            <Listbox.Option
              key={macro.id}
              value={macro.id}
              accessibilityLabel={`${macro.name} (${languageName(macro.language)}): ${macro.preview}`}
            >
              <Box paddingInline="300" paddingBlock="200" width="100%">
                <BlockStack gap="100">
                  <InlineStack gap="200" blockAlign="center" wrap={false}>
                    <Text as="span" fontWeight="semibold" truncate>
                      {macro.name}
                    </Text>
                    <Badge size="small">{macro.language.toUpperCase()}</Badge>
                  </InlineStack>
                  <Text as="span" variant="bodySm" tone="subdued" truncate>
                    {macro.preview}
                  </Text>
                </BlockStack>
              </Box>
            </Listbox.Option>
          ))}
        </Listbox>
      ) : (
        <Box padding="300">
          <Text as="p" tone="subdued">
            {macros.length === 0 ? (
              <>
                No macros yet. Add some in <Link url="/app/settings/macros">Settings → Macros</Link>.
              </>
            ) : (
              `No macro matches "${query.trim()}".`
            )}
          </Text>
        </Box>
      )}
    </Combobox>
  );
}

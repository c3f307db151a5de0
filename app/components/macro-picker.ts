// The macro picker's search, without React: which macros match what the agent typed. Every word
// must appear in the name, the preview or the language (any case, accents ignored: "reponse"
// finds "Réponse"); macros whose name matches come first, each group in the order given (the
// server's: the customer's language first, then most used).

export interface MacroPickerItem {
  id: string;
  name: string;
  language: string;
  preview: string;
}

const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

export function filterMacros<T extends MacroPickerItem>(macros: readonly T[], query: string): T[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...macros];
  const byName: T[] = [];
  const byText: T[] = [];
  for (const macro of macros) {
    const name = fold(macro.name);
    const all = `${name} ${fold(macro.preview)} ${fold(macro.language)}`;
    if (!words.every((word) => all.includes(word))) continue;
    (words.every((word) => name.includes(word)) ? byName : byText).push(macro);
  }
  return [...byName, ...byText];
}

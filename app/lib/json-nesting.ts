/**
 * True when JSON text nests arrays/objects deeper than `maxDepth`. Reads the text in one loop, no
 * recursion: JSON.parse copes with any depth, but what walks the parsed value afterwards (Prisma's
 * argument serializer, JSON.stringify, our own recursive helpers, PostgreSQL's jsonb parser) runs
 * out of stack, so deep values must be turned away before they are parsed and used.
 * Brackets inside strings do not count; the text need not be valid JSON.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c /* \ */) index++;
      else if (code === 0x22 /* " */) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b /* [ */ || code === 0x7b /* { */) {
      if (++depth > maxDepth) return true;
    } else if (code === 0x5d /* ] */ || code === 0x7d /* } */) depth--;
  }
  return false;
}

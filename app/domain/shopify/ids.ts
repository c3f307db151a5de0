// Shopify ids: GIDs from REST numeric ids, and JSON parsing that keeps ids above 2^53 exact.

export class ShopifyIdPrecisionError extends Error {
  constructor(
    readonly type: string,
    readonly value: number,
  ) {
    super(`${type} id ${value} is above 2^53 and was rounded by JSON.parse; parse the body with parseShopifyJson`);
    this.name = "ShopifyIdPrecisionError";
  }
}

/** GID from a REST numeric id; throws when JSON.parse already lost digits. */
export function gidFromRestId(type: string, id: number | string): string {
  if (typeof id === "number" && !Number.isSafeInteger(id)) throw new ShopifyIdPrecisionError(type, id);
  const digits = String(id);
  if (!/^\d+$/.test(digits)) throw new RangeError(`Not a ${type} id: ${digits}`);
  return `gid://shopify/${type}/${digits}`;
}

/** Like gidFromRestId, but null for an absent or rounded id: for links that are only routing hints. */
export function gidOrNull(type: string, id: number | string | null | undefined): string | null {
  if (id === null || id === undefined) return null;
  if (typeof id === "number" && !Number.isSafeInteger(id)) return null;
  return gidFromRestId(type, id);
}

/**
 * JSON.parse that keeps integers beyond 2^53 exact by reading them as strings. Only bare
 * integer tokens outside strings are touched; everything else parses as usual.
 */
export function parseShopifyJson(text: string): unknown {
  let quoted = "";
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"') {
      const end = endOfJsonString(text, index);
      quoted += text.slice(index, end);
      index = end;
    } else if (char === "-" || (char >= "0" && char <= "9")) {
      const token = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(index, index + 400))![0];
      const unsafeInteger = /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token));
      quoted += unsafeInteger ? `"${token}"` : token;
      index += token.length;
    } else {
      quoted += char;
      index++;
    }
  }
  return JSON.parse(quoted) as unknown;
}

function endOfJsonString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === "\\" ? 2 : 1;
  return index + 1;
}

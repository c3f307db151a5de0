// Money as decimal strings: exact sums and comparisons, never through a float.

/** "12.5", "12.50", 12.5 → "12.50"; more decimals are kept ("1.005"). Never goes through a float sum. */
export function normalizeDecimal(value: string | number): string {
  const text = String(value).trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`Not a decimal amount: ${text}`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  const trimmed = fraction.replace(/0+$/, "");
  const digits = trimmed.length >= 2 ? trimmed : trimmed.padEnd(2, "0");
  const integer = whole.replace(/^0+(?=\d)/, "");
  return `${sign}${integer}.${digits}`;
}

function scaledDecimals(values: string[]): { scaled: bigint[]; scale: number } {
  const scale = Math.max(2, ...values.map((value) => value.split(".")[1]?.length ?? 0));
  const scaled = values.map((value) => {
    const negative = value.startsWith("-");
    const [whole = "0", fraction = ""] = value.replace(/^-/, "").split(".");
    const units = BigInt(whole + fraction.padEnd(scale, "0"));
    return negative ? -units : units;
  });
  return { scaled, scale };
}

function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return normalizeDecimal(negative ? `-${text}` : text);
}

/** Exact sum of decimal strings. */
export function addDecimals(values: string[]): string {
  const { scaled, scale } = scaledDecimals(values.length > 0 ? values.map(normalizeDecimal) : ["0"]);
  return formatScaled(
    scaled.reduce((total, value) => total + value, 0n),
    scale,
  );
}

export function compareDecimals(a: string, b: string): number {
  const { scaled } = scaledDecimals([normalizeDecimal(a), normalizeDecimal(b)]);
  const [left = 0n, right = 0n] = scaled;
  return left < right ? -1 : left > right ? 1 : 0;
}

// Which IP addresses an HTTP integration may not call unless the workspace allows its private
// network (SSRF, docs/decisions/025-integrations.md). Pure: the outbound service resolves the host
// and asks here about every address it got, then connects to the one it checked.

interface Range {
  /** The first address of the range, as a number (IPv4) or bigint (IPv6). */
  base: bigint;
  bits: number;
  reason: string;
}

const LOOPBACK = "a loopback address (this machine)";
const PRIVATE = "a private network address";
const LINK_LOCAL = "a link-local address (where cloud metadata services answer)";
const UNSPECIFIED = "an unspecified address";
const RESERVED = "a reserved or multicast address";

/** Parses dotted IPv4 ("10.0.0.1"), strictly: four decimal parts 0–255. */
export function parseIPv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const byte = Number(part);
    if (byte > 255) return null;
    value = (value << 8n) | BigInt(byte);
  }
  return value;
}

/** Parses IPv6 text (with "::", an embedded IPv4 tail, or a %zone) into a 128-bit number. */
export function parseIPv6(text: string): bigint | null {
  let address = text.replace(/^\[|\]$/g, "");
  const zone = address.indexOf("%");
  if (zone >= 0) address = address.slice(0, zone);
  if (!address.includes(":")) return null;
  let tail: bigint[] = [];
  const lastColon = address.lastIndexOf(":");
  const last = address.slice(lastColon + 1);
  if (last.includes(".")) {
    const v4 = parseIPv4(last);
    if (v4 === null) return null;
    // The dotted tail is the last two 16-bit words: parse it as "0:0" and put it back after.
    tail = [v4 >> 16n, v4 & 0xffffn];
    address = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const group = (part: string) => (part === "" ? [] : part.split(":"));
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const words = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  let value = 0n;
  for (const word of words) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(word)) return null;
    value = (value << 16n) | BigInt(parseInt(word, 16));
  }
  if (tail.length) value = (value & ~0xffffffffn) | (tail[0]! << 16n) | tail[1]!;
  return value;
}

const v4 = (text: string, bits: number, reason: string): Range => ({ base: parseIPv4(text)!, bits, reason });
const v6 = (text: string, bits: number, reason: string): Range => ({ base: parseIPv6(text)!, bits, reason });

const IPV4_BLOCKED: readonly Range[] = [
  v4("0.0.0.0", 8, UNSPECIFIED),
  v4("10.0.0.0", 8, PRIVATE),
  v4("100.64.0.0", 10, PRIVATE),
  v4("127.0.0.0", 8, LOOPBACK),
  v4("169.254.0.0", 16, LINK_LOCAL),
  v4("172.16.0.0", 12, PRIVATE),
  v4("192.0.0.0", 24, RESERVED),
  v4("192.168.0.0", 16, PRIVATE),
  v4("198.18.0.0", 15, PRIVATE),
  v4("224.0.0.0", 4, RESERVED),
  v4("240.0.0.0", 4, RESERVED),
];

const IPV6_BLOCKED: readonly Range[] = [
  v6("::", 128, UNSPECIFIED),
  v6("::1", 128, LOOPBACK),
  // Local-use NAT64 (RFC 8215): a gateway of the network itself, translating to any IPv4 behind it.
  v6("64:ff9b:1::", 48, PRIVATE),
  v6("fc00::", 7, PRIVATE),
  v6("fe80::", 10, LINK_LOCAL),
  v6("fec0::", 10, PRIVATE),
  v6("ff00::", 8, RESERVED),
];

const inRange = (value: bigint, range: Range, width: number) =>
  value >> BigInt(width - range.bits) === range.base >> BigInt(width - range.bits);

function ipv4Reason(value: bigint): string | null {
  return IPV4_BLOCKED.find((range) => inRange(value, range, 32))?.reason ?? null;
}

/**
 * IPv6 forms that carry an IPv4 address: mapped (::ffff:a.b.c.d), translated (::ffff:0:a.b.c.d),
 * compatible (::a.b.c.d), NAT64, 6to4.
 */
function embeddedIPv4(value: bigint): bigint | null {
  const high96 = value >> 32n;
  if (high96 === 0xffffn || high96 === 0xffff0000n || high96 === 0n) return value & 0xffffffffn;
  if (value >> 32n === parseIPv6("64:ff9b::")! >> 32n) return value & 0xffffffffn;
  if (value >> 112n === 0x2002n) return (value >> 80n) & 0xffffffffn;
  return null;
}

/**
 * Why an integration may not call this address ("a loopback address (this machine)"), or null when
 * it is a public address. Text that is not an IP address is refused too: the caller resolves
 * host names first and asks about what they resolved to.
 */
export function blockedAddressReason(address: string): string | null {
  const ipv4 = parseIPv4(address);
  if (ipv4 !== null) return ipv4Reason(ipv4);
  const ipv6 = parseIPv6(address);
  if (ipv6 === null) return "not an IP address";
  const direct = IPV6_BLOCKED.find((range) => inRange(ipv6, range, 128));
  if (direct) return direct.reason;
  const inner = embeddedIPv4(ipv6);
  return inner === null ? null : ipv4Reason(inner);
}

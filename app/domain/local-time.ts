// The customer's local time, from the country (and for the widest countries the state or province)
// of their default address: Shopify addresses carry no time zone. Good enough to tell an agent
// "it is 3 a.m. there"; a country missing here shows no local time rather than a wrong one.

const COUNTRY_ZONES: Record<string, string> = {
  AT: "Europe/Vienna",
  BE: "Europe/Brussels",
  BG: "Europe/Sofia",
  CH: "Europe/Zurich",
  CY: "Asia/Nicosia",
  CZ: "Europe/Prague",
  DE: "Europe/Berlin",
  DK: "Europe/Copenhagen",
  EE: "Europe/Tallinn",
  ES: "Europe/Madrid",
  FI: "Europe/Helsinki",
  FR: "Europe/Paris",
  GB: "Europe/London",
  GR: "Europe/Athens",
  HR: "Europe/Zagreb",
  HU: "Europe/Budapest",
  IE: "Europe/Dublin",
  IS: "Atlantic/Reykjavik",
  IT: "Europe/Rome",
  LT: "Europe/Vilnius",
  LU: "Europe/Luxembourg",
  LV: "Europe/Riga",
  MT: "Europe/Malta",
  NL: "Europe/Amsterdam",
  NO: "Europe/Oslo",
  PL: "Europe/Warsaw",
  PT: "Europe/Lisbon",
  RO: "Europe/Bucharest",
  RS: "Europe/Belgrade",
  SE: "Europe/Stockholm",
  SI: "Europe/Ljubljana",
  SK: "Europe/Bratislava",
  TR: "Europe/Istanbul",
  UA: "Europe/Kyiv",
  RU: "Europe/Moscow",
  IL: "Asia/Jerusalem",
  AE: "Asia/Dubai",
  SA: "Asia/Riyadh",
  IN: "Asia/Kolkata",
  CN: "Asia/Shanghai",
  HK: "Asia/Hong_Kong",
  TW: "Asia/Taipei",
  JP: "Asia/Tokyo",
  KR: "Asia/Seoul",
  SG: "Asia/Singapore",
  MY: "Asia/Kuala_Lumpur",
  TH: "Asia/Bangkok",
  VN: "Asia/Ho_Chi_Minh",
  PH: "Asia/Manila",
  ID: "Asia/Jakarta",
  NZ: "Pacific/Auckland",
  ZA: "Africa/Johannesburg",
  EG: "Africa/Cairo",
  NG: "Africa/Lagos",
  KE: "Africa/Nairobi",
  MA: "Africa/Casablanca",
  MX: "America/Mexico_City",
  BR: "America/Sao_Paulo",
  AR: "America/Argentina/Buenos_Aires",
  CL: "America/Santiago",
  CO: "America/Bogota",
  PE: "America/Lima",
  US: "America/New_York",
  CA: "America/Toronto",
  AU: "Australia/Sydney",
};

/** States and provinces of the countries that span several zones, where the country's zone would mislead. */
const REGION_ZONES: Record<string, string> = {
  // United States: Central, Mountain, Pacific, Alaska, Hawaii (the rest is Eastern).
  ...Object.fromEntries(
    ["AL", "AR", "IL", "IA", "KS", "LA", "MN", "MS", "MO", "NE", "ND", "OK", "SD", "TN", "TX", "WI"].map((s) => [
      `US-${s}`,
      "America/Chicago",
    ]),
  ),
  ...Object.fromEntries(["CO", "ID", "MT", "NM", "UT", "WY"].map((s) => [`US-${s}`, "America/Denver"])),
  "US-AZ": "America/Phoenix",
  ...Object.fromEntries(["CA", "NV", "OR", "WA"].map((s) => [`US-${s}`, "America/Los_Angeles"])),
  "US-AK": "America/Anchorage",
  "US-HI": "Pacific/Honolulu",
  // Canada
  "CA-BC": "America/Vancouver",
  "CA-AB": "America/Edmonton",
  "CA-SK": "America/Regina",
  "CA-MB": "America/Winnipeg",
  "CA-QC": "America/Toronto",
  "CA-NB": "America/Moncton",
  "CA-NS": "America/Halifax",
  "CA-PE": "America/Halifax",
  "CA-NL": "America/St_Johns",
  "CA-YT": "America/Whitehorse",
  // Australia
  "AU-WA": "Australia/Perth",
  "AU-SA": "Australia/Adelaide",
  "AU-NT": "Australia/Darwin",
  "AU-QLD": "Australia/Brisbane",
  "AU-VIC": "Australia/Melbourne",
  "AU-TAS": "Australia/Hobart",
};

/** The IANA zone for an address's country and province codes, or null when we cannot tell. */
export function timeZoneFor(countryCode: string | null | undefined, provinceCode?: string | null): string | null {
  const country = countryCode?.trim().toUpperCase();
  if (!country) return null;
  const province = provinceCode?.trim().toUpperCase();
  return (province && REGION_ZONES[`${country}-${province}`]) || COUNTRY_ZONES[country] || null;
}

/** "14:05" in that zone at `now` (24-hour, as agents across locales read it unambiguously). */
export function localTimeIn(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hour12: false }).format(now);
}

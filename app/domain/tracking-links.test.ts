import { describe, expect, it } from "vitest";
import { buildTracking } from "./order-snapshot";
import {
  carrierDisplayName,
  describeTracking,
  identifyCarrier,
  normaliseTrackingNumber,
  trackingUrl,
} from "./tracking-links";

describe("trackingUrl", () => {
  it("uses Shopify's URL when the fulfillment has one", () => {
    // From Shopify's fulfillments/create sample payload.
    const url = "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630";
    expect(trackingUrl({ company: "UPS", number: "1z827wk74630", url })).toBe(url);
  });

  it.each([
    ["UPS", "1Z999AA10123456784", "https://www.ups.com/track?tracknum=1Z999AA10123456784"],
    ["USPS", "9400111899223197428490", "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223197428490"],
    ["FedEx", "449044304137821", "https://www.fedex.com/fedextrack/?trknbr=449044304137821"],
    ["DHL", "1234567890", "https://www.dhl.com/global-en/home/tracking.html?tracking-id=1234567890&submit=1"],
    [
      "DHL Express",
      "1234567890",
      "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=1234567890",
    ],
    ["DHL eCommerce", "GM2951173225174494", "https://webtrack.dhlecs.com/orders?trackingNumber=GM2951173225174494"],
    [
      "Canada Post",
      "1234567890123456",
      "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=1234567890123456",
    ],
    ["Royal Mail", "RR123456785GB", "https://www.royalmail.com/track-your-item#/tracking-results/RR123456785GB"],
    ["La Poste", "6A12345678901", "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"],
    ["Colissimo", "6A12345678901", "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"],
    ["DPD", "01234567890123", "https://tracking.dpd.de/status/en_US/parcel/01234567890123"],
    ["DPD UK", "15501234567890", "https://track.dpd.co.uk/parcels/15501234567890"],
    ["GLS", "ZX12345678", "https://gls-group.com/GROUP/en/parcel-tracking?match=ZX12345678"],
    ["PostNL", "3SABCD0123456789", "https://postnl.nl/tracktrace/?B=3SABCD0123456789"],
    ["Australia Post", "33ABC1234567", "https://auspost.com.au/mypost/track/details/33ABC1234567"],
  ])("builds the %s public tracking page when Shopify gave no URL", (company, number, expected) => {
    expect(trackingUrl({ company, number, url: null })).toBe(expected);
  });

  it("has no link for a carrier it does not know", () => {
    expect(trackingUrl({ company: "Coursier Lyonnais", number: "CL-4471", url: null })).toBeNull();
  });

  it("has no link without a tracking number", () => {
    expect(trackingUrl({ company: "UPS", number: null, url: null })).toBeNull();
    expect(trackingUrl({ company: "UPS", number: "   ", url: null })).toBeNull();
  });

  it("removes the spaces people copy from labels", () => {
    expect(trackingUrl({ company: "UPS", number: "1Z 999 AA1 01 2345 6784", url: null })).toBe(
      "https://www.ups.com/track?tracknum=1Z999AA10123456784",
    );
  });

  it("refuses to put something that is not a tracking number into a carrier URL", () => {
    expect(trackingUrl({ company: "UPS", number: "../../account?x=1", url: null })).toBeNull();
  });

  it("never returns a script URL a merchant or app typed, and falls back to the carrier", () => {
    expect(trackingUrl({ company: "FedEx", number: "449044304137821", url: "javascript:alert(1)" })).toBe(
      "https://www.fedex.com/fedextrack/?trknbr=449044304137821",
    );
    expect(trackingUrl({ company: null, number: null, url: "data:text/html,hi" })).toBeNull();
  });

  it("repairs a URL typed without its scheme", () => {
    expect(trackingUrl({ company: null, number: null, url: "www.coursier-lyonnais.fr/suivi?n=CL-4471" })).toBe(
      "https://www.coursier-lyonnais.fr/suivi?n=CL-4471",
    );
  });

  it("recognises unmistakable numbers when the carrier name is missing", () => {
    expect(trackingUrl({ company: null, number: "1Z999AA10123456784", url: null })).toMatch(
      /^https:\/\/www\.ups\.com\//,
    );
    // UPU S10 number with a valid check digit, posted in Great Britain.
    expect(trackingUrl({ company: "", number: "RR123456785GB", url: null })).toMatch(/royalmail\.com/);
  });

  it("does not guess from a postal-looking number whose check digit is wrong", () => {
    expect(trackingUrl({ company: null, number: "RR123456784GB", url: null })).toBeNull();
  });

  it("refuses a number with anything but letters, digits and dashes before or after it", () => {
    expect(trackingUrl({ company: "UPS", number: "<b>1Z999AA10123456784", url: null })).toBeNull();
    expect(trackingUrl({ company: "UPS", number: "1Z999AA10123456784</b>", url: null })).toBeNull();
  });

  it("guesses from the number when the carrier name is blank", () => {
    expect(trackingUrl({ company: "   ", number: "1Z999AA10123456784", url: null })).toBe(
      "https://www.ups.com/track?tracknum=1Z999AA10123456784",
    );
  });

  it("guesses only from a whole UPS or postal number, not one with extra characters", () => {
    for (const number of ["A1Z999AA10123456784", "1Z999AA10123456784A", "XRR123456785GB", "RR123456785GBX"]) {
      expect(trackingUrl({ company: null, number, url: null }), number).toBeNull();
    }
  });

  it.each([
    ["US", "tools.usps.com"],
    ["CA", "canadapost-postescanada.ca"],
    ["GB", "royalmail.com"],
    ["FR", "laposte.fr"],
    ["NL", "postnl.nl"],
    ["AU", "auspost.com.au"],
  ])("sends a postal number from %s to that country's post", (country, host) => {
    expect(trackingUrl({ company: null, number: `RR123456785${country}`, url: null })).toContain(host);
  });

  it("does not guess a post for a country it has no page for", () => {
    expect(trackingUrl({ company: null, number: "RR123456785DE", url: null })).toBeNull();
  });

  it("checks every postal check digit rule: remainder 10 gives 0, 11 gives 5, others themselves", () => {
    for (const number of ["RR123456710GB", "RR123456745GB", "RR123456706GB"]) {
      expect(trackingUrl({ company: null, number, url: null }), number).toMatch(/royalmail\.com/);
    }
    expect(trackingUrl({ company: null, number: "RR123456705GB", url: null })).toBeNull();
  });

  it("keeps a plain http link and tidies a typed one", () => {
    expect(trackingUrl({ company: null, number: null, url: "http://track.example.com/p/1" })).toBe(
      "http://track.example.com/p/1",
    );
    expect(trackingUrl({ company: null, number: null, url: "  www.ups.com/track?tracknum=1Z999AA10123456784 " })).toBe(
      "https://www.ups.com/track?tracknum=1Z999AA10123456784",
    );
    expect(trackingUrl({ company: null, number: null, url: "www.ups.com" })).toBe("https://www.ups.com/");
  });

  it("does not override a named unknown carrier with a number guess", () => {
    expect(trackingUrl({ company: "Coursier Lyonnais", number: "1Z999AA10123456784", url: null })).toBeNull();
  });
});

describe("carrier names", () => {
  it.each([
    ["ups", "UPS"],
    ["UPS®", "UPS"],
    ["United States Postal Service", "USPS"],
    ["Fed Ex", "FedEx"],
    ["fedex ground", "FedEx"],
    ["DHL", "DHL"],
    ["dhl express", "DHL Express"],
    ["DHL Global Mail", "DHL eCommerce"],
    ["Postes Canada", "Canada Post"],
    ["royal-mail", "Royal Mail"],
    ["laposte", "La Poste"],
    ["DPD Local", "DPD UK"],
    ["PostNL International", "PostNL"],
    ["AusPost", "Australia Post"],
    ["United Parcel Service", "UPS"],
    ["UPS Mail Innovations", "UPS"],
    ["US Postal Service", "USPS"],
    ["Federal Express", "FedEx"],
    ["FedEx Express", "FedEx"],
    ["FedEx SmartPost", "FedEx"],
    ["DHL eCommerce Solutions", "DHL eCommerce"],
    ["DHL eCommerce Asia", "DHL eCommerce"],
    ["Canada Post / Postes Canada", "Canada Post"],
    ["La Poste Colissimo", "La Poste"],
    ["DPD Germany", "DPD"],
    ["DPD Group", "DPD"],
    ["General Logistics Systems", "GLS"],
    ["PostNL Domestic", "PostNL"],
    ["PostNL International Mail", "PostNL"],
  ])("shows %s as %s", (typed, canonical) => {
    expect(carrierDisplayName(typed)).toBe(canonical);
  });

  it("keeps an unknown carrier's own name, trimmed", () => {
    expect(carrierDisplayName("  Coursier Lyonnais ")).toBe("Coursier Lyonnais");
    expect(identifyCarrier("Coursier Lyonnais")).toBeNull();
  });

  it("has no name for a blank company", () => {
    expect(carrierDisplayName("  ")).toBeNull();
    expect(carrierDisplayName(null)).toBeNull();
    expect(identifyCarrier(null)).toBeNull();
    expect(identifyCarrier(undefined)).toBeNull();
  });
});

describe("describeTracking", () => {
  it("names the carrier it inferred from the number", () => {
    expect(describeTracking(buildTracking({ company: null, number: "1Z999AA10123456784" }))).toEqual({
      carrier: "UPS",
      number: "1Z999AA10123456784",
      url: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
    });
  });

  it("normalises the number it shows", () => {
    expect(normaliseTrackingNumber(" RR 123 456 785 GB ")).toBe("RR123456785GB");
    expect(normaliseTrackingNumber("   ")).toBeNull();
  });

  it("has no carrier for a number it cannot place and no company", () => {
    expect(describeTracking({ company: null, number: "12345678", url: null })).toEqual({
      carrier: null,
      number: "12345678",
      url: null,
    });
  });
});

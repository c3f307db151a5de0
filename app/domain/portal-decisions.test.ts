import { describe, expect, it } from "vitest";
import {
  decisionReply,
  describeDecision,
  readDecision,
  readRequestDetails,
  statusAfterReturnEvent,
} from "./portal-decisions";
import { PORTAL_LOCALES } from "./portal-messages";

describe("decisionReply", () => {
  const base = { orderName: "#1001", storeName: "Maple Goods" };

  it("tells the shopper in their language, naming the order and signed by the store", () => {
    const subjects = PORTAL_LOCALES.map(
      (locale) => decisionReply({ ...base, kind: "return", outcome: "approved", locale }).subject,
    );
    expect(subjects).toEqual([
      "Your return for order #1001 is approved",
      "Votre retour pour la commande #1001 est accepté",
      "Ihre Rücksendung zur Bestellung #1001 ist genehmigt",
      "Tu devolución del pedido #1001 está aprobada",
    ]);
    const reply = decisionReply({ ...base, kind: "return", outcome: "approved", locale: "fr-CA" });
    expect(reply.locale).toBe("fr");
    expect(reply.text.startsWith("Bonjour,")).toBe(true);
    expect(reply.text.endsWith("Maple Goods")).toBe(true);
  });

  it("adds the agent's note to a decline only, and the refund line to a refunded cancellation only", () => {
    const declined = decisionReply({
      ...base,
      kind: "cancel",
      outcome: "declined",
      locale: "de",
      note: " Schon verpackt. ",
    });
    expect(declined.subject).toBe("Zu Ihrer Stornierungsanfrage für die Bestellung #1001");
    expect(declined.text).toContain("Eine Nachricht von Maple Goods: Schon verpackt.");
    const approvedWithNote = decisionReply({ ...base, kind: "return", outcome: "approved", locale: "en", note: "x" });
    expect(approvedWithNote.text).not.toContain("A message from");

    const refunded = decisionReply({ ...base, kind: "cancel", outcome: "done", locale: "es", refund: true });
    expect(refunded.subject).toBe("Tu pedido #1001 está cancelado");
    expect(refunded.text).toContain("Te reembolsaremos el pago");
    const kept = decisionReply({ ...base, kind: "cancel", outcome: "done", locale: "es", refund: false });
    expect(kept.text).not.toContain("reembols");
  });

  it("falls back to English for a language the portal does not speak", () => {
    expect(decisionReply({ ...base, kind: "return", outcome: "declined", locale: "ja" }).subject).toBe(
      "About your return request for order #1001",
    );
  });
});

describe("statusAfterReturnEvent", () => {
  it("moves a received request with the return and never backwards", () => {
    expect(statusAfterReturnEvent("received", "returns/approve")).toBe("approved");
    expect(statusAfterReturnEvent("received", "returns/decline")).toBe("declined");
    expect(statusAfterReturnEvent("received", "returns/close")).toBe("done");
    expect(statusAfterReturnEvent("approved", "returns/close")).toBe("done");
    expect(statusAfterReturnEvent("approved", "returns/cancel")).toBe("declined");
    expect(statusAfterReturnEvent("approved", "returns/approve")).toBeNull();
    expect(statusAfterReturnEvent("approved", "returns/decline")).toBeNull();
    expect(statusAfterReturnEvent("done", "returns/approve")).toBeNull();
    expect(statusAfterReturnEvent("done", "returns/cancel")).toBeNull();
    expect(statusAfterReturnEvent("declined", "returns/approve")).toBeNull();
  });
});

describe("describeDecision", () => {
  it("says what happened, where and by whom, without ids", () => {
    const event = { kind: "return", orderName: "#1001", returnName: "#1001-R1" } as const;
    expect(describeDecision({ ...event, outcome: "approved", via: "agent", who: "Ana" })).toBe(
      "Return #1001-R1 approved in Shopify by Ana",
    );
    expect(describeDecision({ ...event, outcome: "approved", via: "shopify", who: null })).toBe(
      "Return #1001-R1 approved in Shopify's admin",
    );
    expect(describeDecision({ ...event, returnName: null, outcome: "declined", via: "agent", who: "Ana" })).toBe(
      "The return request for order #1001 declined by Ana",
    );
    expect(
      describeDecision({
        kind: "cancel",
        orderName: "#1002",
        returnName: null,
        outcome: "done",
        via: "agent",
        who: "Bo",
      }),
    ).toBe("Order #1002 cancelled in Shopify by Bo, as the shopper asked");
  });
});

describe("reading stored JSON", () => {
  it("keeps what it can read of a request's details and a decision", () => {
    expect(
      readRequestDetails({
        items: [{ lineItemId: "gid://shopify/LineItem/1", quantity: 2, title: "Scarf" }],
        reason: "SIZE_TOO_SMALL",
        locale: "fr",
      }),
    ).toEqual({
      items: [{ lineItemId: "gid://shopify/LineItem/1", quantity: 2, title: "Scarf" }],
      reason: "SIZE_TOO_SMALL",
      locale: "fr",
    });
    expect(readRequestDetails({ items: "nonsense", reason: "BAD" })).toEqual({ items: [] });
    expect(readDecision(null)).toBeNull();
    expect(readDecision({ via: "agent", agentName: "Ana" })).toMatchObject({
      via: "agent",
      agentName: "Ana",
      note: null,
    });
  });
});

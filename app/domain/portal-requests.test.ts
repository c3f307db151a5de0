import { describe, expect, it } from "vitest";
import {
  PORTAL_REQUEST_STATUSES,
  PortalRequestBodySchema,
  REQUEST_STATUS_LABELS,
  RETURN_REASON_LABELS,
  RETURN_REASONS,
  requestConfirmation,
  requestTicket,
} from "./portal-requests";
import { PORTAL_LOCALES } from "./portal-messages";

const ORDER_ID = "5b0f4a4e-8f9a-4b8e-9a51-0c6f1b2a3c4d";

describe("portal request body", () => {
  it("accepts a return with items and a reason, a cancellation and an issue", () => {
    expect(
      PortalRequestBodySchema.parse({
        kind: "return",
        orderId: ORDER_ID,
        items: [{ lineItemId: "gid://shopify/LineItem/1", quantity: 2 }],
        reason: "SIZE_TOO_SMALL",
        message: "Fits small",
      }),
    ).toMatchObject({ kind: "return", items: [{ quantity: 2 }] });
    expect(PortalRequestBodySchema.parse({ kind: "cancel", orderId: ORDER_ID })).toEqual({
      kind: "cancel",
      orderId: ORDER_ID,
    });
    expect(PortalRequestBodySchema.parse({ kind: "issue", orderId: ORDER_ID, issue: "damaged_item" })).toMatchObject({
      issue: "damaged_item",
    });
  });

  it("refuses what a shopper can fix with a message saying what", () => {
    const problem = (body: unknown) => PortalRequestBodySchema.safeParse(body).error?.issues[0]?.message;
    expect(problem({ kind: "return", orderId: ORDER_ID, items: [], reason: "OTHER" })).toBe(
      "Choose at least one item to return.",
    );
    expect(
      problem({ kind: "return", orderId: ORDER_ID, items: [{ lineItemId: "x", quantity: 1 }], reason: "BORED" }),
    ).toBe("Choose why you are returning the items.");
    expect(problem({ kind: "issue", orderId: ORDER_ID, issue: "" })).toBe("Choose what went wrong.");
    expect(problem({ kind: "refund", orderId: ORDER_ID })).toBe("Choose a return, a cancellation or an issue.");
    expect(problem({ kind: "cancel", orderId: "1001" })).toBe("Choose one of your orders.");
    expect(problem({ kind: "cancel", orderId: ORDER_ID, message: "x".repeat(2001) })).toMatch(/under 2000/);
    expect(problem({ kind: "cancel", orderId: ORDER_ID, message: "a\u0000b" })).toMatch(/cannot be saved/);
    expect(
      problem({ kind: "return", orderId: ORDER_ID, items: [{ lineItemId: "x", quantity: 0 }], reason: "OTHER" }),
    ).toBeDefined();
  });
});

describe("a request's ticket and confirmation", () => {
  it("tells agents what was asked, for which order, with the shopper's words", () => {
    const ticket = requestTicket({
      kind: "return",
      orderName: "#1042",
      items: [{ title: "Linen shirt — M", quantity: 2 }],
      reason: "SIZE_TOO_SMALL",
      message: "  Please send a label.  ",
      locale: "fr",
    });
    expect(ticket.subject).toBe("Return request for order #1042");
    expect(ticket.body).toContain("- 2 × Linen shirt — M");
    expect(ticket.body).toContain("Reason: Too small");
    expect(ticket.body).toContain("Their message: Please send a label.");
    expect(ticket.body).toContain("(French)");
    expect(requestTicket({ kind: "cancel", orderName: "#7", locale: "en" }).subject).toBe(
      "Cancellation request for order #7",
    );
    expect(requestTicket({ kind: "issue", orderName: "#7", issueLabel: "Damaged item", locale: "en" }).subject).toBe(
      "Issue with order #7: Damaged item",
    );
  });

  it("confirms once in the shopper's language, English for a language we do not speak", () => {
    const fr = requestConfirmation({ kind: "cancel", orderName: "#7", storeName: "Demo Goods", locale: "fr-CA" });
    expect(fr.locale).toBe("fr");
    expect(fr.subject).toBe("Nous avons bien reçu votre demande d'annulation pour la commande #7");
    expect(fr.text).toContain("Demo Goods a bien reçu");
    expect(requestConfirmation({ kind: "return", orderName: "#7", storeName: "S", locale: "ja" }).subject).toBe(
      "We received your return request for order #7",
    );
    expect(requestConfirmation({ kind: "issue", orderName: "#7", storeName: "S", locale: "de" }).subject).toBe(
      "Wir haben Ihre Meldung zur Bestellung #7 erhalten",
    );
  });

  it("has every label in every language", () => {
    for (const locale of PORTAL_LOCALES) {
      for (const reason of RETURN_REASONS) expect(RETURN_REASON_LABELS[locale][reason]).toBeTruthy();
      for (const status of PORTAL_REQUEST_STATUSES) expect(REQUEST_STATUS_LABELS[locale][status]).toBeTruthy();
    }
  });
});

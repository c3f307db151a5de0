// Shared by the widgets-* integration tests: a Loop-shaped stored response written from the
// reference's field list and quirks (not Loop's files), a widget template with a custom action,
// and a way to set them up in a workspace through the app's own models.

/** A returns search answer for one customer: two returns with Loop's quirks. */
export function loopReturnsResponse(extra: { reason?: string; statusPageUrl?: string } = {}) {
  return {
    status: "success",
    query: { from: "2010-01-01", to: "2050-01-01", filter: "created_at" },
    data: [
      {
        id: "41000001",
        state: "open",
        created_at: "2026-11-20T09:15:00+01:00",
        updated_at: "2026-11-21T10:00:00+00:00",
        edited_at: null,
        order_name: "#1042",
        outcome: "exchange",
        currency: "EUR",
        return_total: "49.00",
        carrier: "N/A",
        tracking_number: "N/A",
        label_status: "N/A",
        status_page_url: extra.statusPageUrl ?? "https://maple.loopreturns.com/#/return/41000001",
        destination_id: 8123,
        return_method: null,
        line_items: [
          {
            line_item_id: "7001",
            title: 'Canvas tote "Large"',
            price: "-24.50",
            returned_at: "2026-11-20 07:30:00",
            return_reason: extra.reason ?? '"Item was too big"',
            barcode: "N/A",
          },
        ],
      },
      {
        id: 41000002,
        state: "closed",
        created_at: "2026-10-01T08:00:00+00:00",
        order_name: "#1001",
        currency: "EUR",
        carrier: "UPS",
        tracking_number: "1Z999AA10123456784",
        line_items: [],
      },
    ],
  };
}

/** A Loop widget template: a card per return (newest first) with a link, rows and a button. */
export function loopWidgetTemplate(actionUrl = "https://api.loopreturns.example/api/v1/returns/{{id}}/note") {
  return {
    type: "wrapper",
    widgets: [
      {
        type: "card",
        path: "",
        title: "Loop Returns",
        meta: { displayCard: true, link: "https://maple.loopreturns.com/#/" },
        widgets: [
          {
            type: "list",
            path: "data",
            meta: { limit: 5, orderBy: "-created_at" },
            widgets: [
              {
                type: "card",
                title: "Return {{order_name}}: {{state}}",
                meta: {
                  displayCard: true,
                  link: "https://admin.loopreturns.com/returns/{{id}}",
                  custom: {
                    links: [{ label: "Status page", url: "{{status_page_url}}" }],
                    buttons: [
                      {
                        label: "Add a note",
                        action: {
                          method: "POST",
                          url: actionUrl,
                          headers: [
                            { key: "X-Action-Token", value: "fixed-action-secret", editable: false, mandatory: false },
                          ],
                          params: [{ key: "notify", value: "no", editable: true, mandatory: false, label: "Notify" }],
                          body: {
                            contentType: "application/json",
                            "application/json": [
                              { key: "return_id", value: "{{id}}", editable: false, mandatory: true },
                              { key: "note", value: "", editable: true, mandatory: true, label: "Note" },
                            ],
                          },
                        },
                      },
                    ],
                  },
                },
                widgets: [
                  { type: "date", path: "created_at", title: "Created" },
                  { type: "text", path: "carrier", title: "Carrier" },
                  { type: "price", path: "return_total", title: "Total" },
                  { type: "url", path: "status_page_url", title: "Status page" },
                  {
                    type: "list",
                    path: "line_items",
                    widgets: [
                      {
                        type: "card",
                        title: "{{title}}",
                        widgets: [
                          { type: "price", path: "price", title: "Price" },
                          { type: "date", path: "returned_at", title: "Returned" },
                          { type: "text", path: "return_reason", title: "Reason" },
                          { type: "text", path: "barcode", title: "Barcode" },
                        ],
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

/** Creates an HTTP integration (its header a partner key), its widget and, when given, a stored response. */
export async function setUpLoopWidget(
  workspaceId: string,
  options: {
    customerId?: string;
    response?: unknown;
    template?: unknown;
    context?: "ticket" | "customer";
    partnerKey?: string;
    name?: string;
    /** The integration's URL (its host is where its headers may go); Loop's by default. */
    integrationUrl?: string;
  } = {},
) {
  const { db } = await import("~/db.server");
  const { IntegrationCreateSchema, WidgetCreateSchema } = await import("~/domain/api-resources");
  const { createIntegration } = await import("~/models/integration.server");
  const { createWidget } = await import("~/models/widget.server");
  const integration = await createIntegration(
    workspaceId,
    IntegrationCreateSchema.parse({
      name: options.name ?? "Loop Returns",
      type: "http",
      http: {
        url:
          options.integrationUrl ??
          "https://api.loopreturns.example/api/v2/returns?customer_email={{ticket.customer.email}}",
        headers: { "X-Authorization": options.partnerKey ?? "loop-partner-key-0001" },
      },
    }),
    null,
  );
  const widget = await createWidget(
    workspaceId,
    WidgetCreateSchema.parse({
      type: "http",
      context: options.context ?? "ticket",
      integration_id: integration.id,
      template: options.template ?? loopWidgetTemplate(),
    }),
  );
  if (options.customerId && options.response !== undefined) {
    await db.integrationResponse.create({
      data: {
        workspaceId,
        integrationId: integration.id,
        customerId: options.customerId,
        body: options.response as object,
      },
    });
  }
  return { integration, widget };
}

import { z } from "zod";
import { MAX_DECLINE_NOTE, RETURN_DECLINE_REASON_LABELS, type DeclineReason } from "~/domain/portal-decisions";
import { messageBodySchema, tagsSchema, TICKET_PRIORITIES } from "~/domain/tickets";
import { storableString } from "~/lib/storable-text";

// What the ticket page's forms may send, one schema per intent, checked before anything changes.

const uuid = (what: string) => z.string().uuid(`This ${what} does not exist or belongs to another workspace.`);

export const TicketActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("reply"),
      body: messageBodySchema,
      /** The macro the agent applied to this reply: its actions run when the reply is sent. */
      macroId: z
        .string()
        .optional()
        .transform((value) => value || undefined)
        .pipe(uuid("macro").optional()),
    }),
    z.object({ intent: z.literal("note"), body: messageBodySchema }),
    z.object({ intent: z.literal("status"), to: z.enum(["open", "closed"], { error: "Open or close the ticket." }) }),
    z.object({
      intent: z.literal("snooze"),
      until: z.iso
        .datetime({ offset: true, error: "Choose when the ticket should wake up." })
        .transform((value) => new Date(value)),
    }),
    z.object({
      intent: z.literal("assign"),
      /** An agent of the workspace, or "" for nobody. */
      agentId: z.union([z.literal(""), uuid("agent")]).transform((value) => value || null),
    }),
    z.object({
      intent: z.literal("priority"),
      priority: z.enum(TICKET_PRIORITIES, { error: "Choose low, normal, high or urgent." }),
    }),
    z.object({
      intent: z.literal("tags"),
      /** Comma-separated, as typed. */
      tags: z
        .string({ error: "Type the tags, separated by commas." })
        .max(2000, "Too many tags: a ticket has at most 20.")
        .transform((value) => value.split(",").filter((tag) => tag.trim().length > 0))
        .pipe(tagsSchema),
    }),
    z.object({ intent: z.literal("link-order"), orderId: uuid("order") }),
    z.object({ intent: z.literal("unlink-order"), orderId: uuid("order") }),
    z.object({ intent: z.literal("retry-delivery"), entryId: uuid("message") }),
    z.object({ intent: z.literal("macro-preview"), macroId: uuid("macro") }),
    /** The ticket's portal request (a return or cancellation): approve it, done in Shopify. */
    z.object({ intent: z.literal("approve-request") }),
    z.object({
      intent: z.literal("decline-request"),
      /** Optional words to the shopper, in the decline message (and Shopify's, for a return). */
      note: storableString()
        .trim()
        .max(MAX_DECLINE_NOTE, `Keep the note to the shopper under ${MAX_DECLINE_NOTE} characters.`)
        .optional()
        .transform((value) => value || null),
      /** A return's reason as Shopify records it; "" or left out: "Another reason". */
      declineReason: z
        .union([
          z.literal(""),
          z.enum(Object.keys(RETURN_DECLINE_REASON_LABELS) as [DeclineReason, ...DeclineReason[]], {
            error: "Choose why the return is declined.",
          }),
        ])
        .optional()
        .transform((value) => value || null),
    }),
    z.object({
      intent: z.literal("set-customer"),
      /** One of the workspace's customers, or "" to remove the customer. */
      customerId: z.union([z.literal(""), uuid("customer")]).transform((value) => value || null),
    }),
  ],
  { error: "This form is not one the ticket page sends; reload the page." },
);

export type TicketAction = z.output<typeof TicketActionSchema>;

/** The thread page the ticket page asks for: the latest, or the one before an entry. */
export const TicketPageQuerySchema = z.object({
  before: uuid("message").optional(),
});

export const TicketParamsSchema = z.object({ ticketId: z.string().uuid() });

/** "Set customer" search: part of a name, email or phone. */
export const CustomerPickQuerySchema = z.object({
  q: z.string().max(200, "Search for at most 200 characters.").default(""),
});

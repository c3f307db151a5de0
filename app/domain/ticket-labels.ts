// Ticket values and their words, without zod: what the browser bundle needs (the inbox, the ticket
// page). Schemas and rules are in tickets.ts, which re-exports these.

export const TICKET_CHANNELS = ["chat", "email", "sms", "portal_request", "contact_form", "api"] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

export const TICKET_STATUSES = ["open", "snoozed", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Words an agent reads, in English (the admin's language for now). */
export const CHANNEL_LABELS: Record<TicketChannel, string> = {
  chat: "Chat",
  email: "Email",
  sms: "SMS",
  portal_request: "Portal request",
  contact_form: "Contact form",
  api: "API",
};

export const STATUS_LABELS: Record<TicketStatus, string> = { open: "Open", snoozed: "Snoozed", closed: "Closed" };

export const PRIORITY_LABELS: Record<TicketPriority, string> = {
  low: "Low",
  normal: "Normal",
  high: "High",
  urgent: "Urgent",
};

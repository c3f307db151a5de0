import { findMacro, MacroNotFoundError } from "~/models/macro.server";
import {
  addInternalNote,
  assignTicket,
  findTicketEntry,
  linkTicketOrder,
  setTicketPriority,
  setTicketStatus,
  setTicketTags,
  TicketChangeRefused,
  TicketNotFoundError,
  unlinkTicketOrder,
} from "~/models/ticket.server";
import { setTicketCustomer } from "~/models/ticket-customer.server";
import { applyMacroActions, renderMacroForTicket, type RenderedMacro } from "~/services/macros.server";
import { decidePortalRequest } from "~/services/portal/request-decisions.server";
import { ReplyNotFoundError, retryReplyNow, sendAgentReply } from "./reply-delivery.server";
import { snoozeTicket } from "./snooze.server";
import type { TicketAction } from "./ticket-forms.server";

// What an agent does on the ticket page, one intent at a time. The ticket was found in the agent's
// workspace before this runs; every model call checks it again in its own transaction.

export type TicketActionResult =
  | { ok: true; toast: string; macroPreview?: MacroPreview; continuedInTicketId?: string }
  | { ok: false; status: 403 | 404 | 409 | 503; message: string };

/** A macro filled in for the ticket, for the reply box (nothing changed yet). */
export type MacroPreview = Pick<RenderedMacro, "body" | "actions" | "missing"> & { macroId: string; name: string };

export async function performTicketAction(
  workspaceId: string,
  ticketId: string,
  agent: { id: string; name: string; email: string } | null,
  action: TicketAction,
): Promise<TicketActionResult> {
  const agentId = agent?.id ?? null;
  const needsAgent = (what: string): TicketActionResult => ({
    ok: false,
    status: 409,
    message: `Shopify could not say which staff member you are, so Shopdesk cannot ${what} in your name. Reload the page and try again.`,
  });
  try {
    switch (action.intent) {
      case "reply": {
        if (!agent) return needsAgent("send a reply");
        // The macro is checked before the reply is stored: a refused request changes nothing.
        if (action.macroId && !(await findMacro(workspaceId, action.macroId))) {
          return { ok: false, status: 404, message: "This macro does not exist or belongs to another workspace." };
        }
        await sendAgentReply(workspaceId, ticketId, agent.id, action.body);
        if (!action.macroId) return { ok: true, toast: "Reply sent" };
        const applied = await applyMacroActions(workspaceId, ticketId, action.macroId, agent.id);
        return {
          ok: true,
          toast:
            applied.skipped.length > 0
              ? `Reply sent; the macro could not ${applied.skipped.map(({ action: what }) => what.toLowerCase()).join(", ")}`
              : "Reply sent and macro applied",
        };
      }
      case "note": {
        if (!agent) return needsAgent("add a note");
        await addInternalNote(workspaceId, ticketId, agent.id, action.body);
        return { ok: true, toast: "Note added" };
      }
      case "status":
        await setTicketStatus(workspaceId, ticketId, { to: action.to }, agentId);
        return { ok: true, toast: action.to === "closed" ? "Ticket closed" : "Ticket reopened" };
      case "snooze":
        await snoozeTicket(workspaceId, ticketId, action.until, agentId);
        return { ok: true, toast: "Ticket snoozed" };
      case "assign":
        await assignTicket(workspaceId, ticketId, action.agentId, agentId);
        return { ok: true, toast: action.agentId ? "Ticket assigned" : "Ticket unassigned" };
      case "priority":
        await setTicketPriority(workspaceId, ticketId, action.priority, agentId);
        return { ok: true, toast: "Priority changed" };
      case "tags":
        await setTicketTags(workspaceId, ticketId, action.tags, agentId);
        return { ok: true, toast: "Tags saved" };
      case "link-order":
        await linkTicketOrder(workspaceId, ticketId, action.orderId, agentId);
        return { ok: true, toast: "Order linked" };
      case "unlink-order":
        await unlinkTicketOrder(workspaceId, ticketId, action.orderId, agentId);
        return { ok: true, toast: "Order unlinked" };
      case "retry-delivery": {
        const entry = await findTicketEntry(workspaceId, ticketId, action.entryId);
        if (!entry || entry.kind !== "agent_reply") {
          return { ok: false, status: 404, message: "This reply does not exist on this ticket." };
        }
        const retried = await retryReplyNow(workspaceId, entry.id);
        return {
          ok: true,
          toast: retried.deliveryStatus === "sent" ? "This reply was sent already" : "Sending the reply again",
        };
      }
      case "set-customer": {
        const result = await setTicketCustomer(workspaceId, ticketId, action.customerId, agentId);
        if (result.continued) {
          return {
            ok: true,
            toast: "Customer set: the chat continues in a new ticket",
            continuedInTicketId: result.ticketId,
          };
        }
        return { ok: true, toast: action.customerId ? "Customer set" : "Customer removed" };
      }
      case "approve-request":
      case "decline-request": {
        if (!agent)
          return needsAgent(action.intent === "approve-request" ? "approve the request" : "decline the request");
        const decided = await decidePortalRequest(
          workspaceId,
          ticketId,
          agent,
          action.intent === "approve-request"
            ? { action: "approve" }
            : { action: "decline", note: action.note, declineReason: action.declineReason },
        );
        return decided.ok ? { ok: true, toast: decided.toast } : decided;
      }
      case "macro-preview": {
        const rendered = await renderMacroForTicket(workspaceId, ticketId, action.macroId, agent);
        return {
          ok: true,
          toast: `Macro "${rendered.macro.name}" inserted`,
          macroPreview: {
            macroId: rendered.macro.id,
            name: rendered.macro.name,
            body: rendered.body,
            actions: rendered.actions,
            missing: rendered.missing,
          },
        };
      }
    }
  } catch (error) {
    if (error instanceof TicketChangeRefused) return { ok: false, status: 409, message: error.message };
    if (error instanceof TicketNotFoundError) return { ok: false, status: 404, message: error.message };
    if (error instanceof MacroNotFoundError || error instanceof ReplyNotFoundError) {
      return { ok: false, status: 404, message: error.message };
    }
    throw error;
  }
}

// How Settings → Integrations talks about integrations and their calls: triggers, delivery
// statuses and health in words a merchant understands (no topics or codes). Pure.

export const TRIGGER_WORDS: Record<string, string> = {
  "ticket-created": "a ticket is created",
  "ticket-updated": "a ticket is updated",
  "ticket-message-created": "a message is added",
  "ticket-self-unsnoozed": "a snoozed ticket wakes up",
  "ticket-message-failed": "a reply fails to send",
  // Not a trigger: a widget button an agent ran (services/integrations/widget-actions.server.ts).
  "custom-action": "an agent runs a widget action",
};

/** "a ticket is created" for a trigger name; the name itself for one we do not know. */
export const triggerWords = (trigger: string) => TRIGGER_WORDS[trigger] ?? trigger;

/** "When a ticket is created or a message is added", or that it never runs by itself. */
export function triggersSentence(triggers: Record<string, boolean | undefined> | null | undefined): string {
  const on = Object.entries(triggers ?? {})
    .filter(([, enabled]) => enabled === true)
    .map(([trigger]) => triggerWords(trigger));
  if (on.length === 0) return "Never called by ticket events";
  const list = on.length === 1 ? on[0]! : `${on.slice(0, -1).join(", ")} or ${on.at(-1)!}`;
  return `When ${list}`;
}

export const DELIVERY_STATUS_WORDS: Record<string, string> = {
  pending: "Waiting",
  succeeded: "Delivered",
  failed: "Failed, will retry",
  gave_up: "Failed",
  refused: "Not sent",
};

export const deliveryStatusWords = (status: string) => DELIVERY_STATUS_WORDS[status] ?? status;

export type IntegrationHealth = "working" | "failing" | "paused" | "off" | "unused";

export const HEALTH_WORDS: Record<IntegrationHealth, string> = {
  working: "Working",
  failing: "Failing",
  paused: "Paused after repeated failures",
  off: "Turned off",
  unused: "No calls yet",
};

/** An integration's health from its state and its last finished call's status. */
export function integrationHealth(state: {
  deactivated: boolean;
  circuitOpen: boolean;
  consecutiveFailures: number;
  lastStatus: string | null;
}): IntegrationHealth {
  if (state.deactivated) return "off";
  if (state.circuitOpen) return "paused";
  if (state.consecutiveFailures > 0) return "failing";
  if (state.lastStatus === null) return "unused";
  return state.lastStatus === "gave_up" || state.lastStatus === "refused" ? "failing" : "working";
}

/** The host an integration's URL template calls ("api.loopreturns.com"), or the template when unreadable. */
export function urlHost(template: string): string {
  try {
    return new URL(template.replace(/\{\{[^{}]*\}\}/g, "x")).host;
  } catch {
    return template.slice(0, 80);
  }
}

import { z } from "zod";
import { storableString } from "~/lib/storable-text";
import { SHOPPER_ORDER_STATUS_LABELS_EN, type ShopperOrderStatus } from "./order-status";

// A store's storefront portal options (prisma model PortalSettings): what Settings → Self-service
// portal may send, checked by the same schema in the browser and in the route's action, and the
// report-issue lists' shape, shared with the portal API that reads them.

// ---- Report an issue: the options per order state --------------------------------------------

/** The order states the report-issue lists are kept for (the JSON column's keys). */
export const ISSUE_STATES = ["delivered", "in_transit", "unfulfilled", "refunded", "other"] as const;
export type IssueState = (typeof ISSUE_STATES)[number];

/** Which list a shopper sees for an order, from the status the portal shows. */
export const ISSUE_STATE_OF_STATUS: Record<ShopperOrderStatus, IssueState> = {
  unfulfilled: "unfulfilled",
  processing_fulfillment: "unfulfilled",
  pending_delivery: "in_transit",
  in_transit: "in_transit",
  out_for_delivery: "in_transit",
  attempted_delivery: "in_transit",
  ready_for_pickup: "in_transit",
  delivered: "delivered",
  failed_delivery: "other",
  cancelled: "other",
  partially_refunded: "refunded",
  refunded: "refunded",
};

export const ISSUE_STATE_LABELS: Record<IssueState, string> = {
  delivered: "Delivered orders",
  in_transit: "Orders on their way",
  unfulfilled: "Orders not shipped yet",
  refunded: "Refunded orders",
  other: "Any other order",
};

/** The statuses a list covers, as the shopper sees them: "Unfulfilled, Processing fulfillment". */
export const issueStateStatuses = (state: IssueState): string =>
  (Object.keys(ISSUE_STATE_OF_STATUS) as ShopperOrderStatus[])
    .filter((status) => ISSUE_STATE_OF_STATUS[status] === state)
    .map((status) => SHOPPER_ORDER_STATUS_LABELS_EN[status])
    .join(", ");

/**
 * The built-in lists (the anchor's scenarios, each state with a fallback), in English. A store that
 * never edited a state's list has none stored for it, so the portal can show these in the
 * shopper's language.
 */
export const BUILT_IN_ISSUE_OPTIONS: Record<IssueState, readonly string[]> = {
  delivered: [
    "An item arrived damaged",
    "I received the wrong item",
    "An item is missing from my order",
    "My order says delivered but I didn't get it",
    "Something else",
  ],
  in_transit: ["I need to change the delivery address", "My order is late", "Something else"],
  unfulfilled: ["I want to change the items in my order", "I need to change the delivery address", "Something else"],
  refunded: ["I haven't received my refund", "Something else"],
  other: ["I have a question about my order", "Something else"],
};

export const MAX_ISSUE_OPTIONS = 12;
export const MAX_ISSUE_OPTION_LENGTH = 80;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const issueOptionList = (state: IssueState) => {
  const name = ISSUE_STATE_LABELS[state];
  return z
    .array(
      storableString({ error: `${name}: each option is a line of text.` })
        .trim()
        .min(1, `${name}: an option is empty. Type its text or remove it.`)
        .max(MAX_ISSUE_OPTION_LENGTH, `${name}: an option is at most ${MAX_ISSUE_OPTION_LENGTH} characters.`)
        .refine((label) => !CONTROL.test(label), `${name}: write each option on one line.`),
      { error: `${name}: send a list of options.` },
    )
    .max(MAX_ISSUE_OPTIONS, `${name}: at most ${MAX_ISSUE_OPTIONS} options.`)
    .refine(
      (labels) => new Set(labels.map((label) => label.toLowerCase())).size === labels.length,
      `${name}: an option appears twice. Remove the copy.`,
    );
};

/**
 * The merchant's report-issue options, as PortalSettings.issueOptions stores them:
 * `{ [state]: string[] }`. A state left out uses its built-in list (see issueOptionsFor); an empty
 * list means no options, so Report an issue is not offered for orders in that state. The column
 * itself is null when no list was edited.
 */
export const IssueOptionsSchema = z.strictObject(
  Object.fromEntries(ISSUE_STATES.map((state) => [state, issueOptionList(state).optional()])) as {
    [S in IssueState]: z.ZodOptional<ReturnType<typeof issueOptionList>>;
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? "Report an issue: the only order states are delivered, in_transit, unfulfilled, refunded and other."
        : "Report an issue: send the option lists as { state: [options] }.",
  },
);
export type IssueOptions = z.output<typeof IssueOptionsSchema>;

/** The options a shopper sees for an order in `state`: the merchant's list, else the built-in one. */
export function issueOptionsFor(stored: IssueOptions | null, state: IssueState): readonly string[] {
  return stored?.[state] ?? BUILT_IN_ISSUE_OPTIONS[state];
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((label, index) => label === b[index]);

/** What to store: only the lists that differ from the built-in ones; null when none does. */
export function issueOptionsToStore(lists: IssueOptions | null): IssueOptions | null {
  if (!lists) return null;
  const edited = ISSUE_STATES.flatMap((state) => {
    const list = lists[state];
    return list && !sameList(list, BUILT_IN_ISSUE_OPTIONS[state]) ? [[state, list] as const] : [];
  });
  return edited.length > 0 ? (Object.fromEntries(edited) as IssueOptions) : null;
}

// ---- The form -------------------------------------------------------------------------------------

export const RETURN_WINDOW_FROM = ["created", "delivered"] as const;
export type ReturnWindowFrom = (typeof RETURN_WINDOW_FROM)[number];

/** The statuses a merchant may offer Cancel in (before the parcel is with the carrier). */
export const CANCEL_STATUSES = ["unfulfilled", "processing_fulfillment", "pending_delivery"] as const;
export type CancelStatus = (typeof CANCEL_STATUSES)[number];

export const MAX_RETURN_WINDOW_DAYS = 365;
const MAX_URL_LENGTH = 2048;

const onOff = (what: string) =>
  z.enum(["true", "false"], { error: `Choose whether ${what} is on or off.` }).transform((value) => value === "true");

/** A choice added after the form's first version: left out (an older form) means on, its default. */
const onOffDefaultOn = (what: string) =>
  z
    .enum(["true", "false"], { error: `Choose whether ${what} is on or off.` })
    .optional()
    .transform((value) => value !== "false");

/** A one-line text field: trimmed, and "" (or left out) means none. */
const oneLine = (max: number, tooLong: string) =>
  storableString()
    .trim()
    .max(max, tooLong)
    .refine((value) => !CONTROL.test(value), "Use one line of text, without tabs or line breaks.")
    .optional()
    .transform((value) => value || null);

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** An absolute URL the merchant typed: trimmed, "" means none; `allowLocalHttp` for a local test server. */
const webAddress = (invalid: string, options: { allowLocalHttp: boolean }) =>
  oneLine(MAX_URL_LENGTH, `An address is at most ${MAX_URL_LENGTH} characters.`).superRefine((value, context) => {
    if (value === null) return;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      context.addIssue({ code: "custom", message: invalid });
      return;
    }
    const localHttp = options.allowLocalHttp && url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname);
    if ((url.protocol !== "https:" && !localHttp) || !url.hostname)
      context.addIssue({ code: "custom", message: invalid });
    else if (url.username || url.password)
      context.addIssue({ code: "custom", message: "Leave the user name and password out of the address." });
  });

const LOOP_URL_MESSAGE =
  "Enter your Loop Returns portal's full address, starting with https://, such as https://yourstore.loopreturns.com.";
const SMS_API_MESSAGE =
  "Enter the provider's API address starting with https:// (http:// only for 127.0.0.1 or localhost), or leave it empty for Twilio.";
const SMS_FROM_MESSAGE =
  "Enter the sender number in international format: + then the country code and number, such as +14155550100.";
const SMS_SID_MESSAGE = "Enter the account SID from your SMS provider's console, such as AC0123456789abcdef.";

export const PortalSettingsFieldsSchema = z.object({
  trackEnabled: onOff("Track"),
  returnEnabled: onOff("Return"),
  returnWindowFrom: z.enum(RETURN_WINDOW_FROM, {
    error: "Choose whether the return window starts when the order was placed or when it was delivered.",
  }),
  returnWindowDays: z
    .string({ error: `Enter a number of days from 1 to ${MAX_RETURN_WINDOW_DAYS}.` })
    .trim()
    .regex(/^\d{1,3}$/, `Enter a number of days from 1 to ${MAX_RETURN_WINDOW_DAYS}.`)
    .transform(Number)
    .refine(
      (days) => days >= 1 && days <= MAX_RETURN_WINDOW_DAYS,
      `Enter a number of days from 1 to ${MAX_RETURN_WINDOW_DAYS}.`,
    ),
  loopReturnsUrl: webAddress(LOOP_URL_MESSAGE, { allowLocalHttp: false }),
  cancelEnabled: onOff("Cancel"),
  /** Comma-separated in the form (a form field holds one value). */
  cancelStatuses: storableString()
    .max(200, "Choose among Unfulfilled, Processing fulfillment and Pending delivery.")
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(",")
        .map((status) => status.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z.enum(CANCEL_STATUSES, { error: "Choose among Unfulfilled, Processing fulfillment and Pending delivery." }),
        )
        .transform((statuses) => CANCEL_STATUSES.filter((status) => statuses.includes(status))),
    ),
  /** When an agent approves a shopper's cancellation: refund to the original payment method, restock. */
  cancelRefund: onOffDefaultOn("refunding approved cancellations"),
  cancelRestock: onOffDefaultOn("restocking approved cancellations"),
  reportIssueEnabled: onOff("Report an issue"),
  /** JSON of IssueOptions in the form; "" (or left out) means the built-in lists. */
  issueOptions: storableString()
    .optional()
    .transform((text, context) => {
      if (!text?.trim()) return null;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: "custom", message: "Report an issue: the option lists could not be read." });
        return z.NEVER;
      }
    })
    .pipe(IssueOptionsSchema.nullable())
    .transform(issueOptionsToStore),
  signInEmailCode: onOff("sign-in with a code by email"),
  signInSmsCode: onOff("sign-in with a code by SMS"),
  signInOrderNumber: onOff("sign-in with email and order number"),
  smsAccountSid: oneLine(64, SMS_SID_MESSAGE).refine(
    (value) => value === null || /^[A-Za-z0-9._-]{2,64}$/.test(value),
    SMS_SID_MESSAGE,
  ),
  /** People type spaces, dashes, dots and brackets in phone numbers: those go. */
  smsFrom: oneLine(32, SMS_FROM_MESSAGE)
    .transform((value) => (value === null ? null : value.replace(/[\s().-]/g, "")))
    .refine((value) => value === null || /^\+[1-9]\d{6,14}$/.test(value), SMS_FROM_MESSAGE),
  /** Write-only: blank keeps the stored token. Never trimmed inside, only around. */
  smsAuthToken: oneLine(256, "An auth token is at most 256 characters.").refine(
    (value) => value === null || !/\s/.test(value),
    "An auth token has no spaces: copy it again from your SMS provider's console.",
  ),
  smsApiBaseUrl: webAddress(SMS_API_MESSAGE, { allowLocalHttp: true }),
});
export type PortalSettingsFields = z.output<typeof PortalSettingsFieldsSchema>;

/** The store whose settings a form changes (a workspace may hold several stores). */
const storeId = z
  .string({ error: "Choose the store these settings are for." })
  .trim()
  .min(1, "Choose the store these settings are for.")
  .max(64, "Choose the store these settings are for.");

/** Rules between fields; the one that needs the stored token (SMS) is the service's. */
function checkTogether(fields: PortalSettingsFields, context: z.RefinementCtx) {
  if (!fields.signInEmailCode && !fields.signInSmsCode && !fields.signInOrderNumber) {
    context.addIssue({
      code: "custom",
      path: ["signIn"],
      message: "Turn on at least one way for shoppers to sign in.",
    });
  }
  if (fields.cancelEnabled && fields.cancelStatuses.length === 0) {
    context.addIssue({
      code: "custom",
      path: ["cancelStatuses"],
      message: "Choose at least one order status in which shoppers may ask to cancel, or turn Cancel off.",
    });
  }
  // The provider is "in use" once any of its fields is filled or SMS codes are on: then both the
  // account and the sender are needed to send anything.
  const smsInUse =
    fields.signInSmsCode ||
    Boolean(fields.smsAccountSid || fields.smsFrom || fields.smsAuthToken || fields.smsApiBaseUrl);
  if (smsInUse && !fields.smsAccountSid) {
    context.addIssue({ code: "custom", path: ["smsAccountSid"], message: SMS_SID_MESSAGE });
  }
  if (smsInUse && !fields.smsFrom) {
    context.addIssue({ code: "custom", path: ["smsFrom"], message: SMS_FROM_MESSAGE });
  }
}

export const SavePortalSettingsFormSchema = PortalSettingsFieldsSchema.extend({
  intent: z.literal("save"),
  shopId: storeId,
}).superRefine(checkTogether);

export const RemoveSmsTokenFormSchema = z.object({ intent: z.literal("remove-sms-token"), shopId: storeId });

export const PortalSettingsFormSchema = z.discriminatedUnion(
  "intent",
  [SavePortalSettingsFormSchema, RemoveSmsTokenFormSchema],
  { error: "Unknown portal settings form" },
);
export type PortalSettingsForm = z.output<typeof PortalSettingsFormSchema>;

/** What the settings page shows of a store's options: never the SMS token or its ciphertext. */
export interface PortalSettingsView {
  trackEnabled: boolean;
  returnEnabled: boolean;
  returnWindowFrom: ReturnWindowFrom;
  returnWindowDays: number;
  loopReturnsUrl: string | null;
  cancelEnabled: boolean;
  cancelStatuses: string[];
  cancelRefund: boolean;
  cancelRestock: boolean;
  reportIssueEnabled: boolean;
  issueOptions: IssueOptions | null;
  signInEmailCode: boolean;
  signInSmsCode: boolean;
  signInOrderNumber: boolean;
  smsAccountSid: string | null;
  smsFrom: string | null;
  smsApiBaseUrl: string | null;
  /** An auth token is stored (a blank token field keeps it). */
  smsAuthTokenSet: boolean;
}

import { z } from "zod";

/** The live connection's address: the inbox's (no ticket) or one ticket page's. */
export const LiveQuerySchema = z.object({
  ticket: z.string().uuid("This ticket does not exist or belongs to another workspace.").optional(),
});

/** "I started / stopped writing a reply on this ticket." */
export const PresenceFormSchema = z.object({
  ticketId: z.string().uuid("This ticket does not exist or belongs to another workspace."),
  replying: z
    .enum(["true", "false"], { error: "Say whether you are replying (true or false)." })
    .transform((value) => value === "true"),
});

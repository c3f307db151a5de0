import { z } from "zod";

/** The home page's sync buttons: retry a failed import, or look for missed changes now. */
export const SyncCommandSchema = z.object({
  intent: z.enum(["retry-import", "check-now"], { error: "Unknown sync command" }),
});
export type SyncCommand = z.infer<typeof SyncCommandSchema>["intent"];

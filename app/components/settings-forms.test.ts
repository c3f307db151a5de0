import { describe, expect, it } from "vitest";
import { fieldErrorsOf, SettingsFormSchema } from "./settings-forms";

const errorsFor = (input: Record<string, string>) => {
  const result = SettingsFormSchema.safeParse(input);
  if (result.success) throw new Error("expected a failure");
  return fieldErrorsOf(result.error);
};

describe("SettingsFormSchema", () => {
  it("reads the notes sync toggle", () => {
    expect(SettingsFormSchema.parse({ intent: "notes-sync", enabled: "true" })).toEqual({
      intent: "notes-sync",
      enabled: true,
    });
    expect(SettingsFormSchema.parse({ intent: "notes-sync", enabled: "false" })).toEqual({
      intent: "notes-sync",
      enabled: false,
    });
  });

  it("trims a pasted join code", () => {
    expect(SettingsFormSchema.parse({ intent: "join-workspace", code: "  ABCD-1234 \n" })).toEqual({
      intent: "join-workspace",
      code: "ABCD-1234",
    });
  });

  it("reads the leave form, which has no fields", () => {
    expect(SettingsFormSchema.parse({ intent: "leave-workspace" })).toEqual({ intent: "leave-workspace" });
  });

  it("says which field is wrong", () => {
    expect(errorsFor({ intent: "notes-sync", enabled: "maybe" })).toEqual({ enabled: ["Choose on or off"] });
    expect(errorsFor({ intent: "notes-sync" })).toEqual({ enabled: ["Choose on or off"] });
    expect(errorsFor({ intent: "join-workspace", code: "   " })).toEqual({
      code: ["Enter the code from the other store"],
    });
    expect(errorsFor({ intent: "join-workspace" })).toEqual({ code: ["Enter the code from the other store"] });
    expect(errorsFor({ intent: "join-workspace", code: "x".repeat(65) }).code).toHaveLength(1);
  });

  it("refuses an unknown or missing form", () => {
    expect(errorsFor({ intent: "delete-everything" })).toEqual({ intent: ["Unknown settings form"] });
    expect(errorsFor({})).toEqual({ intent: ["Unknown settings form"] });
  });
});

import { describe, expect, it } from "vitest";
import { profileLabel } from "./customer-merge";

describe("profileLabel", () => {
  it("names a profile by its name, else its first email, else its first phone as people read it", () => {
    expect(profileLabel({ name: "Zoë Müller", emails: ["zoe@x.example"], phones: ["+4915112345678"] })).toBe(
      "Zoë Müller",
    );
    expect(profileLabel({ name: null, emails: ["zoe@x.example"], phones: ["+4915112345678"] })).toBe("zoe@x.example");
    expect(profileLabel({ name: null, emails: [], phones: ["+15552279104"] })).toBe("+1 555-227-9104");
    expect(profileLabel({ name: null, emails: [], phones: [] })).toBe("Unnamed customer");
  });
});

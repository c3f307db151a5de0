import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { HOLDER_FIELD, tagClaims } from "./claim-tag.server";

// pg-boss's own SQL builders: a pg-boss upgrade that changes its claim statement fails here, not in
// production as jobs that silently stop naming their holder.
const plans = createRequire(import.meta.url)("pg-boss/src/plans") as {
  fetchNextJob(schema: string): (options: { includeMetadata?: boolean; priority?: boolean }) => string;
  completeJobs(schema: string): string;
  failJobsByTimeout(schema: string): string;
};

describe("tagClaims", () => {
  it.each([{ includeMetadata: true }, { includeMetadata: false }, { includeMetadata: true, priority: false }])(
    "tags the jobs pg-boss's claim statement takes (%o)",
    (options) => {
      const claim = plans.fetchNextJob("pgboss")(options);
      const tagged = tagClaims(claim, 1234);
      expect(tagged).not.toBe(claim);
      expect(tagged).toContain(`jsonb_build_object('${HOLDER_FIELD}', 1234)`);
      expect(tagged.replace(/\n\s+output = .*,$/m, "")).toBe(claim);
    },
  );

  it("leaves every other statement as it was", () => {
    for (const statement of [plans.completeJobs("pgboss"), plans.failJobsByTimeout("pgboss"), "SELECT 1"]) {
      expect(tagClaims(statement, 1234)).toBe(statement);
    }
  });

  it("refuses a key that is not an integer (it is written into the SQL)", () => {
    expect(() => tagClaims("SELECT 1", 1.5)).toThrow(/integer/);
  });
});

// Which process runs an active job (docs/decisions/013-job-crash-recovery.md): pg-boss 10 does not
// record it, so the statement that claims jobs records it, in the job row's `output` (which pg-boss
// overwrites when the job completes or fails). Tagging in the claiming statement itself leaves no
// moment at which a job is active without a holder, whenever the process dies.

/** The field of a running job's output that names its holder (the key of its advisory lock). */
export const HOLDER_FIELD = "shopdeskHolder";

// pg-boss 10.4's fetchNextJob: the only statement that sets jobs active.
const CLAIM_SET = /(UPDATE \S+\.job j SET\s+state = 'active',\s+started_on = now\(\),)/;

/** The statement as pg-boss sent it, plus the holder tag when it is pg-boss's job claim. */
export function tagClaims(text: string, holderKey: number): string {
  if (!Number.isInteger(holderKey)) throw new Error(`holder key must be an integer: ${holderKey}`);
  // Added to what the output holds: a dead-letter copy's output is the failure the ledger shows.
  return text.replace(
    CLAIM_SET,
    `$1\n      output = CASE WHEN jsonb_typeof(j.output) = 'object' THEN j.output ELSE '{}'::jsonb END` +
      ` || jsonb_build_object('${HOLDER_FIELD}', ${holderKey}),`,
  );
}

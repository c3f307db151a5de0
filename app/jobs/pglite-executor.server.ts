import type { PGlite } from "@electric-sql/pglite";

/** What pg-boss needs from a database when it is given one (`new PgBoss({ db })`). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number }>;
}

/**
 * pg-boss on the app's own PGlite instance (PGlite allows one connection, so the queue cannot open
 * its own pool).
 *
 * - With parameters, pg-boss sends one statement: PGlite's query() (extended protocol).
 * - Without, it may send a script (`BEGIN; …; COMMIT;` for installs, migrations and maintenance),
 *   which only exec() accepts. The script runs inside PGlite's transaction(): that holds PGlite's
 *   transaction lock, so a Prisma transaction cannot interleave, and if a statement fails the
 *   wrapper rolls back — exec() alone would leave the single connection in an aborted transaction
 *   and every later query would fail. (The script's own BEGIN/COMMIT nest harmlessly.)
 */
export function pgliteExecutor(pglite: PGlite): SqlExecutor {
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) {
        const result = await pglite.query(text, values);
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
      }
      const results = await pglite.transaction((tx) => tx.exec(text));
      const last = results.findLast((result) => result.fields.length > 0) ?? results.at(-1);
      return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
    },
  };
}

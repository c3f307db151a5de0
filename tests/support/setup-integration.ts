import { afterAll } from "vitest";
import { prepareTestDatabase } from "./database";

// Runs before each integration test file: its own database, before any app module reads
// DATABASE_URL.
const testDatabase = await prepareTestDatabase();
afterAll(() => testDatabase.dispose());

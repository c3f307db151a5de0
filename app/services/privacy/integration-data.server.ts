import { db } from "~/db.server";
import { ticketsToErase, type TicketErasureRequest } from "./ticket-erasure.server";

// What HTTP integrations answered about a shopper (IntegrationResponse: a returns app's list of
// their returns, with names and addresses), under customers/data_request and customers/redact.
// The tickets' delivery log and events go with the tickets (ticket-erasure.server.ts).

/** customers/data_request: each integration's last answer about the people this shopper is. */
export async function collectIntegrationData(request: TicketErasureRequest) {
  const { people } = await ticketsToErase(request);
  if (people.length === 0) return [];
  const rows = await db.integrationResponse.findMany({
    where: { customerId: { in: people } },
    orderBy: { fetchedAt: "asc" },
    select: { body: true, fetchedAt: true, integration: { select: { name: true } } },
  });
  return rows.map((row) => ({ integration: row.integration.name, fetchedAt: row.fetchedAt, answer: row.body }));
}

/**
 * customers/redact: the stored answers go, also for a person who stays as a buyer of another store
 * of the workspace: they are a copy the next ticket event fetches again.
 */
export async function eraseIntegrationData(request: TicketErasureRequest): Promise<number> {
  const { people } = await ticketsToErase(request);
  if (people.length === 0) return 0;
  const { count } = await db.integrationResponse.deleteMany({ where: { customerId: { in: people } } });
  return count;
}

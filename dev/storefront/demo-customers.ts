// Which of the emulator's seeded shoppers the demo points people at: the storefront's login page
// offers them (so logged_in_customer_id names a customer the app knows) and `npm run demo` prints
// one to try the portal with. Read from the emulator at run time, so a changed seed still fits.
import type { CustomerRecord, OrderRecord } from "../store-emulator/model.ts";

export interface DemoLoginCustomer {
  /** The numeric Shopify customer id the App Proxy sends as logged_in_customer_id. */
  id: string;
  name: string;
  email: string;
}

/** The login page's choices: customers with an email (the portal's sign-in needs one), by id. */
export function loginChoices(customers: readonly CustomerRecord[], limit = 25): DemoLoginCustomer[] {
  return customers
    .filter((customer) => customer.email)
    .sort((a, b) => a.id - b.id)
    .slice(0, limit)
    .map((customer) => ({
      id: String(customer.id),
      name: `${customer.firstName} ${customer.lastName}`.trim() || customer.email!,
      email: customer.email!,
    }));
}

/** One shopper to try the portal as: the first (by id) with an email and an order not cancelled. */
export function demoShopper(
  customers: readonly CustomerRecord[],
  orders: readonly OrderRecord[],
): { id: string; name: string; email: string; orderName: string } | null {
  for (const choice of loginChoices(customers, Infinity)) {
    const order = orders.find((candidate) => String(candidate.customerId) === choice.id && !candidate.cancelledAt);
    if (order) return { ...choice, orderName: order.name };
  }
  return null;
}

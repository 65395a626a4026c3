import type { SearchOrdersHandler } from '../../generated/tools.ts';
import { allOrders } from '../../shop/data.ts';

/** Tool "search_orders": filter the order book by tenant, customer and status. */
export const searchOrders: SearchOrdersHandler = async (input) => {
  const found = allOrders()
    .filter((o) => o.tenant === input.tenant)
    .filter((o) => input.customer === undefined || o.customer === input.customer)
    .filter((o) => input.status === undefined || o.status === input.status)
    .slice(0, input.limit ?? 20);
  return { structured: { orders: found.map(({ id, status, total }) => ({ id, status, total })) } };
};

/** The example shop's data: a fixed in-memory catalogue and order book (no network, no disk). */
export interface ShopOrder {
  id: string;
  status: 'open' | 'paid' | 'shipped' | 'cancelled';
  total: number;
  customer: string;
  tenant: string;
}

export const catalog = [
  { sku: 'MUG-1', name: 'Mug', price: 9.5 },
  { sku: 'TEE-2', name: 'T-shirt', price: 19 },
];

const orders = new Map<string, ShopOrder>([
  ['A-1001', { id: 'A-1001', status: 'paid', total: 28.5, customer: 'ada', tenant: 'acme' }],
  ['A-1002', { id: 'A-1002', status: 'open', total: 9.5, customer: 'grace', tenant: 'acme' }],
]);

export function findOrder(id: string): ShopOrder | undefined {
  return orders.get(id);
}

export function allOrders(): ShopOrder[] {
  return [...orders.values()];
}

export function setStatus(id: string, status: ShopOrder['status']): ShopOrder | undefined {
  const order = orders.get(id);
  if (order) order.status = status;
  return order;
}

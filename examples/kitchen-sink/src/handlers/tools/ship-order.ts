import type { ShipOrderHandler } from '../../generated/tools.ts';
import { findOrder, setStatus } from '../../shop/data.ts';

/** Tool "ship_order": reports progress while it "ships", and honours cancellation. */
export const shipOrder: ShipOrderHandler = async (input, ctx) => {
  const order = findOrder(input.orderId);
  if (!order) return ctx.error(`No order ${input.orderId}`);
  const steps = ['packed', 'labelled', 'handed to carrier'];
  for (const [i, step] of steps.entries()) {
    await new Promise((resolve) => setTimeout(resolve, 10)); // the warehouse takes its time
    if (ctx.signal.aborted) return ctx.error('cancelled');
    ctx.progress(i + 1, steps.length, step);
    ctx.log('info', { order: order.id, step });
  }
  setStatus(order.id, 'shipped');
  const speed = input.express ? 'express' : 'standard';
  return { content: [{ type: 'text', text: `Order ${order.id} shipped (${speed}) to ${input.address.city}, ${input.address.country}` }] };
};

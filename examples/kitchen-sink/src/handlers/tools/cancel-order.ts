import { cancelOrderAsks, type CancelOrderHandler } from '../../generated/tools.ts';
import { findOrder, setStatus } from '../../shop/data.ts';

/**
 * Tool "cancel_order": asks the user to confirm (elicitation, a multi round-trip request), then
 * cancels. On the retry the handler runs again and `ctx.elicit` returns the user's answer.
 */
export const cancelOrder: CancelOrderHandler = async (input, ctx) => {
  const order = findOrder(input.orderId);
  if (!order) return ctx.error(`No order ${input.orderId}`);
  if (order.status === 'cancelled') return { structured: { id: order.id, status: order.status, total: order.total } };
  const answer = await ctx.elicit('confirm', cancelOrderAsks.confirm);
  if (answer.action !== 'accept' || !answer.content.confirm) return ctx.error(`Order ${order.id} was not cancelled`);
  const cancelled = setStatus(order.id, 'cancelled')!;
  return { structured: { id: cancelled.id, status: cancelled.status, total: cancelled.total } };
};

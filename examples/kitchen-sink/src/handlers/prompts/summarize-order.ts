import type { SummarizeOrderPromptHandler } from '../../generated/prompts.ts';
import { findOrder } from '../../shop/data.ts';

/** Prompt "summarize_order". */
export const summarizeOrder: SummarizeOrderPromptHandler = async (args) => {
  const order = findOrder(args.orderId);
  const facts = order ? `Order ${order.id} is ${order.status}, total ${order.total}.` : `Order ${args.orderId} does not exist.`;
  return [{ role: 'user', content: { type: 'text', text: `Write a ${args.tone ?? 'friendly'} summary for the customer. ${facts}` } }];
};

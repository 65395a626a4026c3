import type { OrderTemplateHandler } from '../../generated/resources.ts';
import { ErrorCode, McpError } from '../../generated/runtime/index.ts';
import { findOrder } from '../../shop/data.ts';

/** Template shop://orders/{orderId}: one order as JSON; an unknown id is "Resource not found" (-32602, data.uri). */
export const order: OrderTemplateHandler = async (params) => {
  const found = findOrder(params.orderId);
  if (!found) throw new McpError(ErrorCode.InvalidParams, 'Resource not found', { uri: `shop://orders/${params.orderId}` });
  return { text: JSON.stringify(found) };
};

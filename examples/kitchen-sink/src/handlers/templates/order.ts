import type { OrderTemplateHandler } from '../../generated/resources.ts';
import { ErrorCode, McpError } from '../../generated/runtime/index.ts';
import { findOrder } from '../../shop/data.ts';

/**
 * Template shop://orders/{orderId}: one order as JSON; an unknown id is "Resource not found"
 * (-32602). The runtime adds data.uri exactly as the client sent it.
 */
export const order: OrderTemplateHandler = async (params) => {
  const found = findOrder(params.orderId);
  if (!found) throw new McpError(ErrorCode.InvalidParams, 'Resource not found');
  return { text: JSON.stringify(found) };
};

import type { DailyDigestPromptHandler } from '../../generated/prompts.ts';
import { allOrders } from '../../shop/data.ts';

/** Prompt "daily_digest". */
export const dailyDigest: DailyDigestPromptHandler = async () => [
  { role: 'user', content: { type: 'text', text: `Summarize today's shop activity: ${allOrders().length} orders on the books.` } },
];

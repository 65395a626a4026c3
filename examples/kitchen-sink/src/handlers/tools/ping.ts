import type { PingHandler } from '../../generated/tools.ts';

/** Tool "ping": the backend is in-process, so it always answers. */
export const ping: PingHandler = async () => ({ content: [{ type: 'text', text: 'pong' }] });

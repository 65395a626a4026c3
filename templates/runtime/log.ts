/**
 * The runtime's own diagnostics. They go to stderr only: on stdio, stdout carries nothing but MCP
 * messages (basic/transports/stdio.mdx), and on HTTP nothing internal reaches the wire.
 */
export interface RuntimeLogger {
  error(message: string, error?: unknown): void;
  warn(message: string): void;
  info(message: string): void;
}

export const stderrLogger: RuntimeLogger = {
  error(message, error) {
    const detail = error instanceof Error ? `\n${error.stack ?? error.message}` : error === undefined ? '' : ` ${String(error)}`;
    process.stderr.write(`[mcp] error: ${message}${detail}\n`);
  },
  warn(message) {
    process.stderr.write(`[mcp] warn: ${message}\n`);
  },
  info(message) {
    process.stderr.write(`[mcp] ${message}\n`);
  },
};

export const silentLogger: RuntimeLogger = { error() {}, warn() {}, info() {} };

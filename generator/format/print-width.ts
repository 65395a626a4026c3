/**
 * The line width of every generated file: prettier's printWidth in format.ts's PRETTIER_CONFIG, and
 * the only width the layouts that stand in for prettier (json-layout, ts-literal-layout,
 * ts-tool-layout, preformatted) reproduce. One constant, so the two can never drift apart.
 */
export const PRINT_WIDTH = 100;

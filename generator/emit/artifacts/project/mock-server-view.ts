/**
 * The view of src/generated/mock-server.ts, written in prettier's layout (format/preformatted.ts):
 * its template is prettier's output, and each line whose layout depends on a width (imports, the
 * handler list entries, the data literals) is laid out here as prettier lays it out, as far as that
 * is certain. `shaped` says whether the whole file is; else prettier formats it, as before.
 */
import type { AppModel } from '../../../app/model.ts';
import { fits, importStatement, prettierKey, prettierString } from '../../../format/preformatted.ts';
import { layoutTsObjectLiteral, layoutTsValue } from '../../../format/ts-literal-layout.ts';
import type { OutputPlan } from '../../../plan/plan.ts';
import { tsLiteral } from './literals.ts';

type Json = Parameters<typeof layoutTsValue>[0];

/** Entries of the handler lists sit at this indentation: createMcpServer({ tools: [ … ] }). */
const ITEM = '      ';

/**
 * `binder(async () => ({ key: expr })),` as prettier lays it out: one line; else the member on its
 * own line; else (given `chain`, the expression split before its last member access) the member
 * broken before that access. Anything longer: the one-line form, which the check sends to prettier.
 */
export function arrowToObject(binder: string, key: string, expr: string, chain?: [string, string]): string {
  const one = `${ITEM}${binder}(async () => ({ ${key}: ${expr} })),`;
  if (fits(one) !== false) return one;
  const member = `${ITEM}  ${key}: ${expr},`;
  if (fits(member) !== false) return `${ITEM}${binder}(async () => ({\n${member}\n${ITEM}})),`;
  if (chain) {
    const head = `${ITEM}  ${key}: ${chain[0]}`;
    const tail = `${ITEM}    ${chain[1]},`;
    if (fits(head) === true && fits(tail) === true) return `${ITEM}${binder}(async () => ({\n${head}\n${tail}\n${ITEM}})),`;
  }
  return one;
}

/** `binder(async () => call),` as prettier lays it out: one line, else the call on its own line. */
export function arrowToCall(binder: string, call: string): string {
  const one = `${ITEM}${binder}(async () => ${call}),`;
  if (fits(one) !== false) return one;
  return `${ITEM}${binder}(async () =>\n${ITEM}  ${call},\n${ITEM}),`;
}

/** `binder(async () => [element]),` as prettier lays it out: one line, else the element on its own line. */
export function arrowToArray(binder: string, element: string): string {
  const one = `${ITEM}${binder}(async () => [${element}]),`;
  if (fits(one) !== false) return one;
  return `${ITEM}${binder}(async () => [\n${ITEM}  ${element},\n${ITEM}]),`;
}

/** `return { key: expr };` in the body of a list entry, as prettier lays it out. */
function returnObject(key: string, expr: string): string {
  const one = `${ITEM}  return { ${key}: ${expr} };`;
  if (fits(one) !== false) return one;
  return `${ITEM}  return {\n${ITEM}    ${key}: ${expr},\n${ITEM}  };`;
}

/**
 * `key: [items],` in createMcpServer's options as prettier lays it out: on one line when every item
 * is one line and all fit, else one item a line. Undefined when unsure: a lone item over several
 * lines (prettier may hug it to the bracket).
 */
export function itemList(key: string, items: string[]): string | undefined {
  if (items.length === 0) return `    ${key}: [],`;
  const multiLine = items.some((i) => i.includes('\n'));
  if (multiLine && items.length === 1) return undefined;
  if (!multiLine) {
    const one = `    ${key}: [${items.map((i) => i.trimStart().replace(/,$/, '')).join(', ')}],`;
    const width = fits(one);
    if (width === true) return one;
    if (width === undefined) return undefined;
  }
  return `    ${key}: [\n${items.join('\n')}\n    ],`;
}

export function mockServerView(app: AppModel, plan: OutputPlan, mock: unknown, modules: { runtime: string; prompts: string; resources: string }, importOf: (module: string) => string) {
  const md = plan.mock.mockData;
  let shaped = true;
  const literal = (value: unknown, laidOut: string | undefined) => {
    if (value === undefined) return 'undefined';
    if (laidOut !== undefined) return laidOut;
    shaped = false;
    return tsLiteral(value);
  };
  const info = { name: app.server.name, version: app.server.version, ...(app.server.title === undefined ? {} : { title: app.server.title }) };
  const hasAsks = app.tools.some((t) => t.asks.length > 0);
  const tools = app.tools.map((t) => {
    const names = plan.tools[t.name]!;
    const name = prettierString(t.name);
    const answer = `(${md}.tools[${name}] as MockTool)`;
    const result = `mockToolResult(${md}.tools[${name}] as MockTool)`;
    if (t.asks.length > 0) {
      const last = t.outputSchema ? returnObject('structured', `${answer}.structured as ${names.output}`) : `${ITEM}  return ${result};`;
      return `${ITEM}${names.binder!}(async (_input, ctx) => {\n${ITEM}  await ctx.ask(declaredAsks(${name}));\n${last}\n${ITEM}}),`;
    }
    return t.outputSchema ? arrowToObject(names.binder!, 'structured', `${answer}.structured as ${names.output}`, [answer, `.structured as ${names.output}`]) : arrowToCall(names.binder!, result);
  });
  const prompts = app.prompts.map((p) =>
    arrowToArray(plan.prompts[p.name]!.binder, `{ role: 'user', content: { type: 'text', text: ${md}.prompts[${prettierString(p.name)}] } }`),
  );
  const resources = app.resources.map((r) => arrowToObject(plan.resources[r.uri]!.binder, 'text', `${md}.resources[${prettierString(r.uri)}]`));
  const templates = app.resourceTemplates.map((t) => arrowToObject(plan.templates[t.uriTemplate]!.binder, 'text', `${md}.templates[${prettierString(t.uriTemplate)}]`));
  const view = {
    mock: literal(mock, layoutTsObjectLiteral(mock as Json)),
    info: literal(info, layoutTsValue(info, 4, 4 + 'info: '.length)),
    caching: literal(app.caching, app.caching === undefined ? undefined : layoutTsValue(app.caching as unknown as Json, 4, 4 + 'caching: '.length)),
    runtimeImport: importStatement(
      ['createMcpServer', ...(hasAsks ? ['elicitation', 'listRoots', 'sampling', 'type InputAsk'] : []), 'type McpServer', 'type McpServerOptions'],
      modules.runtime,
    ),
    imports: [
      ...app.tools.map((t) => {
        const names = plan.tools[t.name]!;
        return importStatement([names.binder!, names.headerParams, ...(names.output ? [names.outputSchema!, `type ${names.output}`] : [])], importOf(names.module));
      }),
      ...(app.prompts.length > 0 ? [importStatement(app.prompts.map((p) => plan.prompts[p.name]!.binder), modules.prompts)] : []),
      ...(app.resources.length + app.resourceTemplates.length > 0
        ? [importStatement([...app.resources.map((r) => plan.resources[r.uri]!.binder), ...app.resourceTemplates.map((t) => plan.templates[t.uriTemplate]!.binder)], modules.resources)]
        : []),
    ],
    headerParamRows: app.tools.map((t) => `  ${prettierKey(t.name)}: ${plan.tools[t.name]!.headerParams},`),
    outputSchemaRows: app.tools.filter((t) => t.outputSchema).map((t) => `  ${prettierKey(t.name)}: ${plan.tools[t.name]!.outputSchema},`),
    hasAsks,
    lists: ([['tools', tools], ['prompts', prompts], ['resources', resources], ['resourceTemplates', templates]] as const).map(([key, items]) => {
      const laidOut = itemList(key, items);
      if (laidOut !== undefined) return laidOut;
      shaped = false; // prettier decides; it gets the list broken, one item a line
      return `    ${key}: [\n${items.join('\n')}\n    ],`;
    }),
  };
  return { view, shaped };
}

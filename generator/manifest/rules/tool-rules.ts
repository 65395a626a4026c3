/** Per-tool rules from server/tools.mdx ("Tool Names", "Tool") and the manifest's own links. */
import { didYouMean } from '../did-you-mean.ts';
import { asString, isRecord } from '../paths.ts';
import { entriesOf } from './entries.ts';
import type { RuleContext } from './rule-context.ts';

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
/** Some hosts (and the conformance suite) reject names above 64 characters. */
const PORTABLE_NAME_LENGTH = 64;

export function checkTools(ctx: RuleContext): void {
  const appIds = entriesOf(ctx.raw, 'apps').flatMap((app) => (typeof app.value.id === 'string' ? [app.value.id] : []));
  for (const { index, value: tool } of entriesOf(ctx.raw, 'tools')) {
    const at = ['tools', index];
    const name = asString(tool.name);
    if (name !== undefined) checkToolName(ctx, name, [...at, 'name']);
    checkDescription(ctx, tool, at);
    const ui = asString(tool.ui);
    if (ui !== undefined && !appIds.includes(ui)) {
      ctx.report('MG3005', `tool \`${name ?? index}\` uses app \`${ui}\`, which is not declared under \`apps:\`${didYouMean(ui, appIds)}`, [...at, 'ui']);
    }
    checkTaskSettings(ctx, tool, at, isRecord(ctx.raw.server) && isRecord(ctx.raw.server.tasks) ? ctx.raw.server.tasks : {});
    for (const ask of entriesOf(tool, 'asks')) {
      const askAt = [...at, 'asks', ask.index];
      if (ask.value.kind === 'elicitation' && !('schema' in ask.value)) {
        ctx.report('MG2004', 'an elicitation ask needs a `schema` describing the form', askAt, { help: 'Add `schema:` with a flat object of string/number/boolean/enum properties.' });
      }
      if ((ask.value.kind === 'sampling' || ask.value.kind === 'roots') && 'schema' in ask.value) {
        ctx.report('MG2003', `\`schema\` only applies to elicitation asks, not \`${ask.value.kind}\``, [...askAt, 'schema'], { onKey: true, help: 'Remove `schema:`.' });
      }
    }
  }
}

/**
 * Task settings that cannot take effect (extensions/tasks.md `ttlMs`, `pollIntervalMs`; our
 * `taskRetry`): on a tool that never runs as a task, or a polling interval longer than the task lives.
 */
function checkTaskSettings(ctx: RuleContext, tool: Record<string, unknown>, at: (string | number)[], serverTasks: Record<string, unknown>): void {
  const label = asString(tool.name) ?? `#${String(at[1])}`;
  const mode = tool.task ?? 'forbidden';
  for (const key of ['taskTtlMs', 'taskPollIntervalMs', 'taskRetry']) {
    if (key in tool && mode === 'forbidden')
      ctx.report('MG3030', `\`${key}\` has no effect: tool \`${label}\` never runs as a task (task: forbidden)`, [...at, key], {
        onKey: true,
        severity: 'warning',
        help: 'Set `task: optional` or `task: required`, or remove the key.',
      });
  }
  if (mode === 'forbidden') return;
  const ttl = 'taskTtlMs' in tool ? tool.taskTtlMs : serverTasks.ttlMs;
  const poll = 'taskPollIntervalMs' in tool ? tool.taskPollIntervalMs : serverTasks.pollIntervalMs;
  if (typeof ttl === 'number' && typeof poll === 'number' && poll > ttl) {
    const where = 'taskPollIntervalMs' in tool ? [...at, 'taskPollIntervalMs'] : 'taskTtlMs' in tool ? [...at, 'taskTtlMs'] : at;
    ctx.report('MG3030', `tool \`${label}\` suggests polling every ${poll} ms, but its tasks live only ${ttl} ms: a client would poll once after the task expired`, where, {
      severity: 'warning',
      help: 'Make the polling interval shorter than the task lifetime.',
    });
  }
}

function checkToolName(ctx: RuleContext, name: string, path: (string | number)[]): void {
  if (!TOOL_NAME.test(name)) {
    const bad = [...new Set([...name].filter((c) => !/[A-Za-z0-9_.-]/.test(c)))].map((c) => JSON.stringify(c)).join(', ');
    const why = name.length === 0 ? 'is empty' : name.length > 128 ? `is ${name.length} characters long` : `contains ${bad}`;
    ctx.report('MG3002', `tool name \`${name}\` ${why}; tool names must match ^[A-Za-z0-9_.-]{1,128}$`, path);
  } else if (name.length > PORTABLE_NAME_LENGTH) {
    ctx.report('MG3003', `tool name is ${name.length} characters long; some hosts reject names over ${PORTABLE_NAME_LENGTH}`, path, { severity: 'warning' });
  }
}

function checkDescription(ctx: RuleContext, tool: Record<string, unknown>, at: (string | number)[]): void {
  const description = tool.description;
  const label = asString(tool.name) ?? `#${String(at[1])}`;
  if (description === undefined) {
    ctx.report('MG3004', `tool \`${label}\` has no description`, isRecord(tool) && 'name' in tool ? [...at, 'name'] : at);
  } else if (typeof description === 'string' && description.trim() === '') {
    ctx.report('MG3004', `tool \`${label}\` has an empty description`, [...at, 'description']);
  }
}

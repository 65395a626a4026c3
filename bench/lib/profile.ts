/** Summarises a V8 .cpuprofile (from `node --cpu-prof`): top functions by self time. */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export function topSelfTime(path: string, limit = 25): string[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<string, number>();
  for (const id of profile.samples) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^.*\/(node_modules|templates)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    hits.set(key, (hits.get(key) ?? 0) + 1);
  }
  return topShares(hits, profile.samples.length, limit);
}

/** Self time grouped by where the code lives: a package under node_modules, mcp-gen's own code, node internals, GC. */
export function selfTimeByOrigin(path: string): string[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<string, number>();
  for (const id of profile.samples) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url } = node.callFrame;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    const key = pkg ?? (url.startsWith('node:') ? 'node internals' : url ? 'mcp-gen' : `(${functionName.replace(/[()]/g, '') || 'native'})`);
    hits.set(key, (hits.get(key) ?? 0) + 1);
  }
  const total = profile.samples.length;
  return [...hits].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${((100 * n) / total).toFixed(1).padStart(5)}%  ${key}`);
}

/** Inclusive time of mcp-gen's own functions (children included): where a run spends its time, top-down. */
export function inclusiveTime(path: string, limit = 25, filter = (url: string) => url.includes('/generator/')): string[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as { nodes: (ProfileNode & { children?: number[] })[]; samples: number[] };
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<string, number>();
  for (const id of profile.samples) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const { functionName, url, lineNumber } = byId.get(cur)!.callFrame;
      if (!filter(url)) continue;
      const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/generator\//, '')}:${lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      hits.set(key, (hits.get(key) ?? 0) + 1);
    }
  }
  return topShares(hits, profile.samples.length, limit);
}

/** The `limit` largest counts as percentages of `total`, one line each. */
function topShares(hits: Map<string, number>, total: number, limit: number): string[] {
  return [...hits]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, n]) => `${((100 * n) / total).toFixed(1).padStart(5)}%  ${key}`);
}

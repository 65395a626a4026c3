/** The templates `mcp-gen init --template` offers, in a module of their own so the CLI can list them without loading the generator. */
import { join } from 'node:path';
import { PACKAGE_ROOT } from './paths.ts';

export const INIT_TEMPLATES = {
  minimal: join(PACKAGE_ROOT, 'templates', 'init', 'minimal'),
  weather: join(PACKAGE_ROOT, 'examples', 'weather'),
  'kitchen-sink': join(PACKAGE_ROOT, 'examples', 'kitchen-sink'),
  apps: join(PACKAGE_ROOT, 'examples', 'apps'),
} as const;
export type InitTemplate = keyof typeof INIT_TEMPLATES;

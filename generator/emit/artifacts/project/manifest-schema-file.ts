/**
 * .mcp-gen/manifest.schema.json: the manifest's JSON Schema beside the project, so the
 * `# yaml-language-server: $schema=` modeline `init` writes works offline and tracks the generator.
 * It depends on the generator build alone, so the render cache makes it once per build.
 */
import { memoizedBuildText } from '../../../incremental/memo-steps.ts';
import { manifestJsonSchema } from '../../../manifest/validate-manifest.ts';
import type { ProjectArtifact } from '../../artifact.ts';

export const MANIFEST_SCHEMA_PATH = '.mcp-gen/manifest.schema.json';

const render = () => JSON.stringify(manifestJsonSchema(), null, 2);

export const manifestSchemaFile: ProjectArtifact = {
  id: 'manifest-schema',
  emit: (ctx) => [{ path: MANIFEST_SCHEMA_PATH, owner: 'generated', language: 'json', content: ctx.memo ? memoizedBuildText(ctx.memo, 'manifest-schema', render) : render() }],
};

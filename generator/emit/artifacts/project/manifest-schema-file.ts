/**
 * .mcp-gen/manifest.schema.json: the manifest's JSON Schema beside the project, so the
 * `# yaml-language-server: $schema=` modeline `init` writes works offline and tracks the generator.
 */
import { manifestJsonSchema } from '../../../manifest/validate-manifest.ts';
import type { ProjectArtifact } from '../../artifact.ts';

export const MANIFEST_SCHEMA_PATH = '.mcp-gen/manifest.schema.json';

export const manifestSchemaFile: ProjectArtifact = {
  id: 'manifest-schema',
  emit: () => [{ path: MANIFEST_SCHEMA_PATH, owner: 'generated', language: 'json', content: JSON.stringify(manifestJsonSchema(), null, 2) }],
};

/**
 * The runtime's test server (test/runtime/helpers.ts) on stdin/stdout for client tests:
 * `node --import tsx serve-runtime-stdio.ts [version…]` serves those revisions (default: all).
 */
import { serveStdio } from '../../templates/runtime/index.ts';
import { testServer } from '../runtime/helpers.ts';

const versions = process.argv.slice(2);
serveStdio(testServer(versions.length > 0 ? { protocolVersions: versions } : {}));

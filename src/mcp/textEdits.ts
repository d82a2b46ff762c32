/**
 * The MCP server's two edits beyond statuses live in the core (`src/core/edits/`: `artifacts.ts`,
 * `log.ts`); this module keeps the names `server.ts` imports.
 */
export { addArtifactEdits, EditRefused, logEventEdits, samePath } from '../core/edits';

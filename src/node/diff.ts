/** The unified diff of edits lives in the pure core (src/core/diff.ts), so the editor layer shares it. */
export { unifiedDiff } from '../core/diff';

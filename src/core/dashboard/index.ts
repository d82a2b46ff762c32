/**
 * Derived state of a Tracker: the dashboard drawing and the execution-metrics table. Both repeat
 * what the agent tables and headings already say, so they drift; this folder measures progress
 * from the model (`progress.ts`), reads the drawing's style (`style.ts`) and its lines
 * (`anchors.ts`), judges the drawn values (`read.ts`), draws anew (`render.ts`), checks the
 * metrics (`metrics.ts`) and rewrites only what is stale (`sync.ts`).
 *
 * Import from here (`./core/dashboard`): the other files are this folder's own. Pure core: no
 * `vscode`; the CLI and the extension may import it.
 */
export { progressOf, type Count, type PhaseProgress, type PipelineProgress, type PipelineShare, type BarrierProgress, type Progress } from './progress';
export { isDashboardStale } from './read';
export { isMetricsStale } from './metrics';
export { renderDashboard, redrawDashboard } from './render';
export { syncDerived } from './sync';

/**
 * src/core/present/: what the editor shows, as plain data and Markdown strings — tree node drafts
 * (labels, descriptions, tooltips, icon names, context values, children), hover text, status
 * labels and escaping. Pure like the rest of src/core (no `vscode`; lint enforces it) and
 * unit-tested (test/unit/present.test.ts). Imported by src/vscode/ (which only turns these into
 * TreeItems, ThemeIcons and MarkdownStrings) and may be by the CLI; it imports only src/core.
 */
export * from './format';
export * from './tree';
export * from './hover';

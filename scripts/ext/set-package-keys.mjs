// Sets only the extension-owned keys of package.json (contributes, activation, icon, ...);
// every other key is left exactly as it is. Run: node scripts/ext/set-package-keys.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';

// The agent tools are defined once, in TypeScript (names, descriptions, zod input schemas): the
// language-model tools below are generated from that definition, as the MCP server registers it.
const { languageModelToolsContribution } = await tsImport('../../src/tools/definitions.ts', import.meta.url);

const file = new URL('../../package.json', import.meta.url);
const pkg = JSON.parse(readFileSync(file, 'utf8'));

const cat = 'Worktracker';
const trusted = 'isWorkspaceTrusted';
const cmd = (command, title, extra = {}) => ({ command, title, category: cat, ...extra });
const statuses = ['PENDING', 'READY', 'IN_PROGRESS', 'COMPLETE', 'BLOCKED', 'FAILED', 'SKIPPED', 'CANCELLED', 'UNKNOWN'];
const codes = [
  ['path-missing', 'An artifact path resolves to no file under any base.'],
  ['path-absolute', 'An artifact path is absolute; trackers should use repository-relative paths.'],
  ['path-placeholder', 'A path still holds a `{placeholder}` from the template.'],
  ['path-escapes-root', 'A path leaves the repository (`..`, `~`, another scheme); it is never read.'],
  ['status-drift', 'The markdown and ORCHESTRATION.yaml disagree on a status.'],
  ['self-contradiction', 'The markdown contradicts itself (header COMPLETE, phases not).'],
  ['status-unknown', 'A status cell holds no recognisable status.'],
  ['dashboard-stale', 'The dashboard block does not match the tables.'],
  ['metrics-stale', 'A metrics row does not match the tables.'],
  ['table-malformed', 'A table row has the wrong number of cells or cannot be read.'],
  ['id-duplicate', 'The same agent id appears twice.'],
  ['yaml-syntax', 'ORCHESTRATION.yaml does not parse.'],
  ['yaml-duplicate-key', 'ORCHESTRATION.yaml repeats a mapping key.'],
  ['yaml-shape', 'ORCHESTRATION.yaml has an unexpected shape.'],
];

pkg.displayName = 'Orchestration Worktracker';
pkg.description =
  'Understands ORCHESTRATION_WORKTRACKER.md and ORCHESTRATION.yaml: tree view, status commands, dashboard sync on save, hovers, path and drift diagnostics with quick fixes.';
pkg.main = './dist/extension.js';
pkg.icon = 'media/icon.png';
pkg.galleryBanner = { color: '#1e2a38', theme: 'dark' };
pkg.activationEvents = ['workspaceContains:**/ORCHESTRATION_WORKTRACKER.md', 'onLanguage:markdown'];
pkg.capabilities = {
  untrustedWorkspaces: {
    supported: 'limited',
    description: 'In Restricted Mode the tree, hovers and diagnostics work read-only; commands that edit trackers and sync on save are disabled.',
    restrictedConfigurations: ['worktracker.paths.base', 'worktracker.validate.ignore', 'worktracker.syncOnSave'],
  },
  virtualWorkspaces: true,
};
pkg.scripts = { ...pkg.scripts, package: 'node scripts/build.mjs --production && vsce package --no-dependencies --allow-missing-repository --no-rewrite-relative-links' };

const agentCmds = [
  ['worktracker.markComplete', 'Mark Agent Complete', 'pass'],
  ['worktracker.markInProgress', 'Mark Agent In Progress', 'sync'],
  ['worktracker.markPending', 'Mark Agent Pending', 'circle-large-outline'],
  ['worktracker.markBlocked', 'Mark Agent Blocked', 'lock'],
  ['worktracker.markFailed', 'Mark Agent Failed', 'error'],
];

pkg.contributes = {
  viewsContainers: {
    activitybar: [{ id: 'worktracker', title: 'Worktracker', icon: 'media/worktracker.svg' }],
  },
  views: {
    worktracker: [{ id: 'worktracker.trackers', name: 'Trackers', icon: 'media/worktracker.svg', contextualTitle: 'Worktracker' }],
  },
  viewsWelcome: [
    {
      view: 'worktracker.trackers',
      contents: 'No ORCHESTRATION_WORKTRACKER.md was found in this workspace.\n[Refresh](command:worktracker.refresh)\nTrackers in node_modules, .git and folders hidden by files.exclude are skipped.',
      when: 'workbenchState != empty && worktracker.discovered && !worktracker.hasTrackers',
    },
    {
      view: 'worktracker.trackers',
      contents: 'Looking for ORCHESTRATION_WORKTRACKER.md files…',
      when: 'workbenchState != empty && !worktracker.discovered',
    },
    {
      view: 'worktracker.trackers',
      contents: 'Open a folder that holds an ORCHESTRATION_WORKTRACKER.md to see its phases, agents and barriers.\n[Open Folder](command:workbench.action.files.openFolder)',
      when: 'workbenchState == empty',
    },
  ],
  commands: [
    ...agentCmds.map(([c, t, i]) => cmd(c, t, { icon: `$(${i})`, enablement: trusted })),
    cmd('worktracker.setAgentStatus', 'Set Agent Status…', { enablement: trusted }),
    cmd('worktracker.setBarrierStatus', 'Set Barrier Status…', { enablement: trusted }),
    cmd('worktracker.setPhaseStatus', 'Set Phase Status…', { enablement: trusted }),
    cmd('worktracker.toggleArtifact', 'Toggle Artifact Checkbox', { enablement: trusted }),
    cmd('worktracker.syncDashboard', 'Sync Dashboard Now', { icon: '$(dashboard)', enablement: trusted }),
    cmd('worktracker.redrawDashboard', 'Redraw Dashboard…', { enablement: trusted }),
    cmd('worktracker.showUnread', 'Show Lines Not Understood'),
    cmd('worktracker.openCompanion', 'Open Companion YAML / Markdown', { icon: '$(go-to-file)' }),
    cmd('worktracker.goToAgent', 'Go to Agent…'),
    cmd('worktracker.refresh', 'Refresh', { icon: '$(refresh)' }),
    cmd('worktracker.showTree', 'Show Trackers'),
    cmd('worktracker.revealInEditor', 'Reveal in Editor'),
    cmd('worktracker.openArtifact', 'Open Artifact'),
    cmd('worktracker.revealArtifact', 'Reveal Artifact in Explorer'),
    cmd('worktracker.addToIgnore', 'Ignore Path in Validation'),
  ],
  menus: {
    commandPalette: [
      ...['worktracker.revealInEditor', 'worktracker.openArtifact', 'worktracker.revealArtifact', 'worktracker.addToIgnore'].map((command) => ({ command, when: 'false' })),
      ...[
        'worktracker.markComplete',
        'worktracker.markInProgress',
        'worktracker.markPending',
        'worktracker.markBlocked',
        'worktracker.markFailed',
        'worktracker.setAgentStatus',
        'worktracker.setBarrierStatus',
        'worktracker.setPhaseStatus',
        'worktracker.toggleArtifact',
        'worktracker.syncDashboard',
        'worktracker.redrawDashboard',
        'worktracker.showUnread',
        'worktracker.openCompanion',
        'worktracker.goToAgent',
      ].map((command) => ({ command, when: 'worktracker.hasTrackers' })),
    ],
    'view/title': [
      { command: 'worktracker.syncDashboard', when: 'view == worktracker.trackers && worktracker.hasTrackers', group: 'navigation@1' },
      { command: 'worktracker.refresh', when: 'view == worktracker.trackers', group: 'navigation@2' },
      { command: 'worktracker.goToAgent', when: 'view == worktracker.trackers && worktracker.hasTrackers', group: '1_go' },
    ],
    'view/item/context': [
      { command: 'worktracker.markComplete', when: 'view == worktracker.trackers && viewItem =~ /^worktracker\\.agent\\.(pending|ready|in_progress)/', group: 'inline' },
      { command: 'worktracker.markComplete', when: 'view == worktracker.trackers && viewItem =~ /^worktracker\\.agent\\./ && !(viewItem =~ /^worktracker\\.agent\\.complete/)', group: '1_status@1' },
      { command: 'worktracker.markInProgress', when: 'view == worktracker.trackers && viewItem =~ /^worktracker\\.agent\\./ && !(viewItem =~ /^worktracker\\.agent\\.in_progress/)', group: '1_status@2' },
      { command: 'worktracker.markPending', when: 'view == worktracker.trackers && viewItem =~ /^worktracker\\.agent\\./ && !(viewItem =~ /^worktracker\\.agent\\.pending/)', group: '1_status@3' },
      { command: 'worktracker.markBlocked', when: 'view == worktracker.trackers && viewItem =~ /^worktracker\\.agent\\./ && !(viewItem =~ /^worktracker\\.agent\\.(blocked|complete)/)', group: '1_status@4' },
      { command: 'worktracker.markFailed', when: 'view == worktracker.trackers && viewItem =~ /^worktracker\\.agent\\./ && !(viewItem =~ /^worktracker\\.agent\\.(failed|complete)/)', group: '1_status@5' },
      { command: 'worktracker.setAgentStatus', when: 'view == worktracker.trackers && viewItem =~ /^worktracker\\.agent\\./', group: '1_status@9' },
      { command: 'worktracker.setPhaseStatus', when: 'view == worktracker.trackers && viewItem =~ /^worktracker\\.phase\\./', group: '1_status@1' },
      { command: 'worktracker.setBarrierStatus', when: 'view == worktracker.trackers && viewItem =~ /^worktracker\\.(barrier|direction)\\./', group: '1_status@1' },
      { command: 'worktracker.toggleArtifact', when: 'view == worktracker.trackers && viewItem =~ /^worktracker\\.(artifact|action)\\.(checked|unchecked)/', group: '1_status@1' },
      { command: 'worktracker.syncDashboard', when: 'view == worktracker.trackers && viewItem == worktracker.tracker', group: '2_sync@1' },
      { command: 'worktracker.redrawDashboard', when: 'view == worktracker.trackers && viewItem == worktracker.tracker', group: '2_sync@2' },
      { command: 'worktracker.showUnread', when: 'view == worktracker.trackers && viewItem == worktracker.tracker', group: '3_open@2' },
      { command: 'worktracker.openCompanion', when: 'view == worktracker.trackers && viewItem == worktracker.tracker', group: '3_open@1' },
    ],
    'editor/title': [
      { command: 'worktracker.openCompanion', when: 'resourceFilename == ORCHESTRATION_WORKTRACKER.md || resourceFilename == ORCHESTRATION.yaml', group: 'navigation@90' },
    ],
  },
  configuration: {
    title: 'Orchestration Worktracker',
    properties: {
      'worktracker.syncOnSave': {
        type: 'boolean',
        default: true,
        scope: 'resource',
        markdownDescription: "When you save an `ORCHESTRATION_WORKTRACKER.md` (a save you make, not an auto-save), bring the dashboard's values (bars, percentages, `n/m` counts, status words), the metrics table and `Last Updated` in line with the tables. Only those value spans change, in place; lines the reader cannot map stay byte for byte, and nothing changes when nothing is stale. **Worktracker: Redraw Dashboard…** replaces the whole drawing, after showing it as a diff.",
      },
      'worktracker.dateFormat': {
        type: 'string',
        enum: ['auto', 'date', 'iso'],
        enumDescriptions: ['Follow the dates the file already uses.', 'Date only: `2026-01-09`.', 'ISO-8601 with time zone: `2026-01-09T14:25:00+01:00`.'],
        default: 'auto',
        scope: 'resource',
        markdownDescription: 'How **Mark Agent Complete / In Progress** writes the Completed and Started dates.',
      },
      'worktracker.validate.enable': {
        type: 'boolean',
        default: true,
        scope: 'resource',
        markdownDescription: 'Report broken artifact paths, markdown/YAML drift, stale dashboards and malformed tables in the Problems panel.',
      },
      'worktracker.validate.ignore': {
        type: 'array',
        items: { type: 'string' },
        default: [],
        scope: 'resource',
        markdownDescription: 'Glob patterns (`*`, `**`, `?`) of artifact paths, as written in the tracker, that are never reported as missing. The **Ignore path** quick fix adds to this list.',
      },
      'worktracker.validate.severity': {
        type: 'object',
        default: {},
        scope: 'resource',
        markdownDescription: 'Severity per diagnostic code, e.g. `{ "path-missing": "info", "dashboard-stale": "off" }`. Codes are listed in the README.',
        properties: Object.fromEntries(
          codes.map(([c, d]) => [c, { type: 'string', enum: ['error', 'warning', 'info', 'hint', 'off'], markdownDescription: d }]),
        ),
        additionalProperties: false,
      },
      'worktracker.paths.base': {
        type: 'string',
        default: '',
        scope: 'resource',
        markdownDescription: 'Folder that artifact paths are relative to, tried before the usual bases (repository root, project folder, tracker folder, `paths.base` in the YAML). Relative to the workspace folder. Empty: automatic.',
      },
      'worktracker.tree.followCursor': {
        type: 'boolean',
        default: true,
        scope: 'resource',
        markdownDescription: 'Select the tree node of the row or heading under the cursor.',
      },
      'worktracker.refreshDelay': {
        type: 'number',
        default: 300,
        scope: 'resource',
        minimum: 0,
        maximum: 5000,
        markdownDescription: 'Milliseconds to wait after typing before the tree and diagnostics refresh. Saving refreshes at once.',
      },
    },
  },
  languageModelTools: languageModelToolsContribution(),
  // Read by VS Code versions with MCP server definition providers (1.101+); 1.100 has the same API
  // under the contribution name modelContextServerCollections. Other versions ignore both.
  // src/vscode/mcpServers.ts registers the provider when the API is there.
  mcpServerDefinitionProviders: [{ id: 'worktracker.mcp', label: 'Worktracker' }],
  modelContextServerCollections: [{ id: 'worktracker.mcp', label: 'Worktracker' }],
  yamlValidation: [{ fileMatch: ['ORCHESTRATION.yaml', '**/ORCHESTRATION.yaml'], url: './schemas/orchestration.schema.json' }],
  grammars: [
    {
      scopeName: 'worktracker.injection',
      path: './syntaxes/worktracker.injection.tmLanguage.json',
      injectTo: ['text.html.markdown'],
    },
  ],
};
void statuses;

writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');

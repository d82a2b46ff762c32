// Lint: TypeScript rules everywhere; src/core must stay free of `vscode` so the CLI and plain-Node tests share it
// (src/core/present/ included: the tree and hover text are pure too).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test/**', 'node_modules/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Nothing in src/core may reach outside it (the editor layer, the CLI): from a file directly in
  // src/core that is `../`, from a subfolder (`src/core/markdown/`) `../../`.
  {
    files: ['src/core/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core is pure: no vscode import.' }], patterns: ['vscode/*', '../*'] }],
    },
  },
  // src/tools/ (the agent tools' definitions and edit plans) is shared by the MCP server and the
  // editor layer: pure like src/core, it may import only src/core (and zod).
  {
    files: ['src/tools/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/tools is pure: no vscode import.' }], patterns: [{ group: ['vscode/*', '../node/*', '../mcp/*', '../vscode/*', '../cli'], message: 'src/tools may import only src/core.' }] }],
    },
  },
  // The editor layer (src/vscode/) and the CLI (src/cli.ts, src/node/) share only src/core.
  {
    files: ['src/vscode/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../node/*', '../cli', '../mcp/*'], message: 'src/vscode shares only src/core (and the pure src/tools) with the CLI and the MCP server.' }] }],
    },
  },
  {
    files: ['src/cli.ts', 'src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The CLI runs without VS Code.' }], patterns: ['vscode/*', './vscode/*', '../vscode/*'] }],
    },
  },
  {
    files: ['src/core/*/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core is pure: no vscode import.' }], patterns: ['vscode/*', '../../*'] }],
    },
  },
);

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
  // The editor layer (src/vscode/) and the CLI (src/cli.ts, src/node/) share only src/core.
  {
    files: ['src/vscode/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../node/*', '../cli'], message: 'src/vscode shares only src/core with the CLI.' }] }],
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

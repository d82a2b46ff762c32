/**
 * The ORCHESTRATION.yaml reader. The node tree with source offsets is built from js-yaml's parser
 * events (`tree.ts`) and read past syntax errors (`recover.ts`); `parse.ts` turns it into the typed
 * YamlModel with the base `Reader` (lookups, workflow, metrics, barriers, artifacts: `reader.ts`)
 * and `WorkReader` (pipelines, phases, agents: `work.ts`). Key names by meaning in
 * `vocabulary.ts`; scalar values, and writing a value back in a scalar's own style, in `scalars.ts`.
 *
 * This file is the folder's public API; anyone may import it (core, CLI, extension). The other
 * files are private to the folder. Pure core: no `vscode`.
 */
export { parseYaml } from './parse';
export { yamlScalarText } from './scalars';

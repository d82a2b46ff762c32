// `npm run gen`: regenerates every committed output that is made from readable parts — the
// injection grammar (from the reader's status vocabulary), the ORCHESTRATION.yaml schema, the
// marketplace icon and the extension-owned keys of package.json. test/unit/gen.test.ts fails when
// the committed files differ from what this makes.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const GENERATORS = ['make-grammar.mjs', 'make-schema.mjs', 'make-icon.mjs', 'set-package-keys.mjs'];
/** The files they write, relative to the project root. */
export const OUTPUTS = ['syntaxes/worktracker.injection.tmLanguage.json', 'schemas/orchestration.schema.json', 'media/icon.png', 'package.json'];

for (const g of GENERATORS) execFileSync(process.execPath, [path.join(here, 'ext', g)], { stdio: 'inherit' });

// `node scripts/vscode/install.mjs`: install the pinned code-server into .vscode-test/ now (first use does it anyway).
import { ensureCodeServer, HarnessError } from './code-server.mjs';

try {
  console.log(ensureCodeServer());
} catch (e) {
  console.error(e instanceof HarnessError ? `error: ${e.message}` : e);
  process.exit(1);
}

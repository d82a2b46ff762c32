// `npm start`: build the extension, then serve a real VS Code (code-server, installed on first use) on
// 127.0.0.1 with the extension loaded from this checkout and the demo workspace open. Stays in the foreground
// until Ctrl-C, then stops the server it started.
//
// Usage: npm start [-- <folder>]      (default folder: demo/)
// Env:   PORT (default 8080, or a free port when 8080 is taken), HOST is always 127.0.0.1 (no auth is configured).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, CACHE_DIR, EXTENSION_ID, ensureCodeServer, startCodeServer, freePort, workbenchUrl, onShutdown, log, HarnessError,
  CODE_SERVER_VERSION, vscodeVersion, shuttingDown,
} from './code-server.mjs';

const folder = path.resolve(process.argv[2] ?? path.join(ROOT, 'demo'));
let server;
const finish = onShutdown(async () => {
  if (server) {
    await server.stop();
    log(`stopped code-server (pid ${server.pid})`);
  }
});

try {
  if (!fs.existsSync(folder)) throw new HarnessError(`no such folder: ${folder}`);
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new HarnessError('npm run build failed');
  ensureCodeServer();

  const wanted = process.env.PORT ? Number(process.env.PORT) : 8080;
  const port = await freePort(wanted);
  if (process.env.PORT && port !== wanted) throw new HarnessError(`port ${wanted} (from PORT) is in use`);
  // Keep settings and UI state between `npm start` runs (unlike the test runs, which start fresh each time).
  const runDir = path.join(CACHE_DIR, 'start');
  server = await startCodeServer({ runDir, workspace: folder, port, quiet: true });
  const url = workbenchUrl(server.url, { folder, extensionDevelopmentPath: ROOT });
  console.log(`
  VS Code ${vscodeVersion()} (code-server ${CODE_SERVER_VERSION}) is running with ${EXTENSION_ID} loaded from ${ROOT}
  Workspace: ${folder}

  Open this URL in a browser (it loads the extension from source):

    ${url}

  Logs: ${path.relative(ROOT, server.logFile)}. Rebuild with \`npm run build\` and reload the page to pick up changes.
  Press Ctrl-C to stop.
`);
  // Stay in the foreground; if the server dies on its own, say so and exit.
  const how = await server.exited;
  if (!shuttingDown()) {
    log(`code-server exited on its own (${how}); see`, server.logFile);
    await finish(1);
  }
} catch (e) {
  if (shuttingDown()) await new Promise(() => {}); // Ctrl-C cleanup is running and will exit
  console.error(e instanceof HarnessError ? `error: ${e.message}` : e);
  await finish(1);
}

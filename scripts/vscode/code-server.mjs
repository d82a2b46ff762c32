// Shared harness pieces: install code-server (a real VS Code build served over HTTP) into the project cache,
// start/stop it for one run, and launch the headless Chromium that drives its workbench.
//
// Why code-server 4.100.3: it is VS Code 1.100.3 (the version engines.vscode / @types/vscode target) and it runs
// on the system Node 20, and it installs from the npm registry, so no download from update.code.visualstudio.com
// or GitHub is needed. Newer code-server releases need Node 22+ and `--enable-smoke-test-driver`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION || pkg.config?.codeServerVersion || '4.100.3';
export const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;
export const CACHE_DIR = path.join(ROOT, '.vscode-test');
export const CODE_SERVER_DIR = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
const ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const STAMP = path.join(CODE_SERVER_DIR, '.installed');

// @vscode/ripgrep (pinned 1.15.11 by code-server 4.100.3's VS Code) downloads rg from api.github.com in its
// postinstall unless a cached asset is already in $TMPDIR/vscode-ripgrep-cache-<ver>/. We seed that cache with the
// rg binary that the npm package @vscode/ripgrep-<platform> ships.
const RIPGREP_PIN = '1.15.11';
const RIPGREP_ASSET = { x64: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz', arm64: 'ripgrep-v13.0.0-10-aarch64-unknown-linux-musl.tar.gz' };
const RIPGREP_NPM = { x64: '@vscode/ripgrep-linux-x64@1.18.0', arm64: '@vscode/ripgrep-linux-arm64@1.18.0' };

const t0 = Date.now();
export const log = (...m) => console.log(`[vscode +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...m);

export class HarnessError extends Error {}

export function isCodeServerInstalled() {
  return fs.existsSync(STAMP) && fs.existsSync(ENTRY);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new HarnessError(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new HarnessError(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
  return r;
}

/** Installs code-server into .vscode-test/code-server-<ver>/ on first use; later calls only check the stamp. */
export function ensureCodeServer() {
  if (isCodeServerInstalled()) return CODE_SERVER_DIR;
  const linux = process.platform === 'linux';
  // kerberos (a code-server dependency) compiles against the GSSAPI headers (macOS ships them with Xcode's SDK).
  if (linux && !['/usr/include/gssapi/gssapi.h', '/usr/include/gssapi.h'].some((f) => fs.existsSync(f))) {
    throw new HarnessError('code-server needs the Kerberos headers to build: install libkrb5-dev, pkg-config, python3, make and g++ (Debian/Ubuntu: apt-get install libkrb5-dev pkg-config python3 make g++; .ci/run does it when root)');
  }
  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(ROOT, CODE_SERVER_DIR)} (first use only)`);
  // Install into a side folder, rename at the end: an interrupted install never looks complete.
  const partial = `${CODE_SERVER_DIR}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  const tmp = path.join(partial, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });

  if (linux && RIPGREP_NPM[process.arch]) {
    const arch = process.arch;
    run('npm', ['pack', RIPGREP_NPM[arch], '--silent'], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
    const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new HarnessError(`npm pack ${RIPGREP_NPM[arch]} produced no tarball`);
    run('tar', ['xzf', tgz], { cwd: tmp });
    const cache = path.join(tmp, `vscode-ripgrep-cache-${RIPGREP_PIN}`);
    fs.mkdirSync(cache, { recursive: true });
    run('tar', ['czf', path.join(cache, RIPGREP_ASSET[arch]), '-C', path.join(tmp, 'package', 'bin'), 'rg']);
  } else {
    // Elsewhere @vscode/ripgrep downloads rg from GitHub itself (needs internet).
    log(`no offline ripgrep seed for ${process.platform}-${process.arch}; @vscode/ripgrep will download it from GitHub`);
  }

  fs.writeFileSync(path.join(partial, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }, null, 2));
  const env = {
    ...process.env,
    TMPDIR: tmp, // where @vscode/ripgrep looks for the seeded cache
    // code-server's postinstall refuses to run as root unless npm exports npm_config_unsafe_perm.
    npm_config_unsafe_perm: 'true',
    // node-pty's install runs `npx node-gyp`; without a TTY npx would stop to ask.
    npm_config_yes: 'true',
  };
  run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--unsafe-perm', '--no-audit', '--no-fund', '--no-save', '--loglevel=error'], { cwd: partial, env });
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
  fs.renameSync(partial, CODE_SERVER_DIR);
  fs.writeFileSync(STAMP, `${CODE_SERVER_VERSION} installed ${new Date().toISOString()} in ${((Date.now() - started) / 1000).toFixed(0)}s\n`);
  log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  return CODE_SERVER_DIR;
}

/** The VS Code version inside the installed code-server (e.g. 1.100.3). */
export function vscodeVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** A port from PORT-like input, or a free one chosen by the OS. */
export async function freePort(preferred) {
  const tryPort = (p) => new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(undefined));
    srv.listen(p, '127.0.0.1', () => {
      const got = srv.address().port;
      srv.close(() => resolve(got));
    });
  });
  if (preferred !== undefined) {
    const got = await tryPort(preferred);
    if (got !== undefined) return got;
  }
  const got = await tryPort(0);
  if (got === undefined) throw new HarnessError('no free TCP port on 127.0.0.1');
  return got;
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'window.restoreWindows': 'none',
};

const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
};

function get(url) {
  return new Promise((resolve) => {
    http.get(url, (r) => { r.resume(); resolve(r.statusCode); }).on('error', () => resolve(0));
  });
}

/**
 * Starts code-server on 127.0.0.1:<port> with no auth, no telemetry and a fresh user-data/extensions folder under
 * runDir (workspace trust off unless `untrusted`). Returns { url, pid, stop() }. The server is spawned in its own process group, and stop() ends exactly that
 * group (the server and the extension host, file watcher and pty host it started).
 */
export async function startCodeServer({ runDir, workspace, port, env = {}, settings = {}, quiet = false, untrusted = false }) {
  for (const d of ['user-data/User', 'extensions', 'xdg-config', 'xdg-data']) fs.mkdirSync(path.join(runDir, d), { recursive: true });
  // untrusted: workspace trust on, no startup prompt, so the folder opens in Restricted Mode and stays there.
  const trust = untrusted ? UNTRUSTED_SETTINGS : {};
  fs.writeFileSync(path.join(runDir, 'user-data', 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...trust, ...settings }, null, 2));
  // An empty config file: code-server would otherwise create ~/.config/code-server/config.yaml with a password.
  fs.writeFileSync(path.join(runDir, 'config.yaml'), '');
  const logFile = path.join(runDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    ENTRY,
    '--config', path.join(runDir, 'config.yaml'),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(untrusted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', path.join(runDir, 'user-data'),
    '--extensions-dir', path.join(runDir, 'extensions'),
    '--ignore-last-opened',
    workspace,
  ];
  const child = spawn(process.execPath, args, {
    detached: true, // own process group, so stop() can end the whole tree by this one id
    stdio: ['ignore', quiet ? out : 'pipe', quiet ? out : 'pipe'],
    env: { ...process.env, XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'), XDG_DATA_HOME: path.join(runDir, 'xdg-data'), ...env },
  });
  if (!quiet) {
    child.stdout.on('data', (b) => fs.writeSync(out, b));
    child.stderr.on('data', (b) => fs.writeSync(out, b));
  }
  let exited = false;
  const exitedPromise = new Promise((resolve) => child.on('exit', (code, signal) => { exited = true; resolve(code ?? signal); }));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited || child.pid === undefined) return;
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    for (let i = 0; i < 40 && !exited; i++) await new Promise((r) => setTimeout(r, 100));
    if (!exited) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } }
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) break;
    if ((await get(`${url}/healthz`)) === 200) return { url, pid: child.pid, stop, logFile, exited: exitedPromise };
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new HarnessError(`code-server did not come up on ${url}; log:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
}

/** The Chromium binary: CHROMIUM_PATH, else the usual Linux/macOS locations. */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'].filter(Boolean);
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new HarnessError(`no Chromium found (tried ${candidates.join(', ')}); install chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH`);
  return found;
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Headless Chromium with a throwaway profile; close() ends the browser and removes the profile. */
export async function launchBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'worktracker-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(), headless: true, viewport, args: CHROMIUM_ARGS,
    // Our own shutdown handler closes the browser and the server; Playwright's would exit the process first.
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/** Workbench URL that opens `folder` and loads the extension from source (and optionally runs a tests module). */
export function workbenchUrl(base, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const host = new URL(base).host; // code-server's remote authority is the host:port the browser uses
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://${host}${extensionDevelopmentPath}`]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${host}${extensionTestsPath}`]);
  payload.push(['skipWelcome', 'true']);
  return `${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Copies the throwaway workspace: test/fixtures/workspace (if any), demo/ as `demo/`, and the shared format
 * examples as `examples/<name>/` when ../shared/format/examples exists. Never writes inside the project.
 */
export function makeWorkspace(dest, { demo = true, examples = true, demoAtRoot = false, fixtures = true } = {}) {
  fs.mkdirSync(dest, { recursive: true });
  const fixturesDir = path.join(ROOT, 'test', 'fixtures', 'workspace');
  if (fixtures && fs.existsSync(fixturesDir)) fs.cpSync(fixturesDir, dest, { recursive: true });
  const demoDir = path.join(ROOT, 'demo');
  if (demo && fs.existsSync(demoDir)) fs.cpSync(demoDir, demoAtRoot ? dest : path.join(dest, 'demo'), { recursive: true });
  const ex = path.resolve(ROOT, '..', 'shared', 'format', 'examples');
  const copiedExamples = examples && fs.existsSync(ex);
  if (copiedExamples) fs.cpSync(ex, path.join(dest, 'examples'), { recursive: true });
  // The shared examples are read-only on disk; the copies must be writable for edit tests.
  if (copiedExamples) chmodWritable(path.join(dest, 'examples'));
  return { copiedExamples };
}

function chmodWritable(p) {
  const st = fs.statSync(p);
  fs.chmodSync(p, st.mode | 0o200);
  if (st.isDirectory()) for (const n of fs.readdirSync(p)) chmodWritable(path.join(p, n));
}

/**
 * Runs `cleanup` once on normal exit, SIGINT/SIGTERM/SIGHUP or an uncaught error, then exits with `code`.
 * Returns a function to call on the normal path.
 */
let shutdownStarted = false;
/** True once a shutdown (normal or by signal) has begun; errors after that are side effects of the cleanup. */
export const shuttingDown = () => shutdownStarted;

export function onShutdown(cleanup) {
  const finish = async (code) => {
    if (shutdownStarted) return;
    shutdownStarted = true;
    try { await cleanup(); } catch (e) { console.error('cleanup failed:', e); }
    process.exit(code);
  };
  process.on('SIGINT', () => { log('interrupted'); void finish(130); });
  process.on('SIGTERM', () => { log('terminated'); void finish(143); });
  process.on('SIGHUP', () => { log('hang-up'); void finish(129); });
  process.on('uncaughtException', (e) => { console.error(e); void finish(3); });
  process.on('unhandledRejection', (e) => { console.error(e); void finish(3); });
  return finish;
}

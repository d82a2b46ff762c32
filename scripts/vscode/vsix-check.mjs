// `npm run test:vsix`: proves the packaged .vsix (not the source checkout) installs and works in a real VS Code.
// 1. `npm run package` into test-output/vsix/ (so the check sees exactly what would be published);
// 2. installs it offline into a fresh --extensions-dir with the pinned code-server's --install-extension;
// 3. checks --list-extensions --show-versions lists <publisher>.<name>@<version>;
// 4. starts code-server on that extensions dir (NO extensionDevelopmentPath) with a throwaway copy of demo/, opens
//    the workbench in headless Chromium and asserts the installed copy activated: the Worktracker view lists the
//    demo's phases and barriers, and the status bar shows the agents' progress.
// A .vsix that misses a file (e.g. dist/extension.js left out by .vscodeignore) fails step 4 with a sentence saying
// what was missing, plus the extension host's error from the server log. Screenshots: test-output/vsix/.
//
// Env: VSIX=<path> checks that file instead of packaging; CHROMIUM_PATH; TEST_TIMEOUT_S (default 240);
//      KEEP_RUN_DIR=1.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ROOT, EXTENSION_ID, CODE_SERVER_DIR, ensureCodeServer, startCodeServer, launchBrowser, workbenchUrl, makeWorkspace,
  freePort, onShutdown, log, HarnessError, shuttingDown, vscodeVersion,
} from './code-server.mjs';

const OUT = path.join(ROOT, 'test-output', 'vsix');
const TRACKER = 'ORCHESTRATION_WORKTRACKER.md';
const ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const timeoutS = Number(process.env.TEST_TIMEOUT_S || 240);
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const WANT = `${EXTENSION_ID}@${pkg.version}`;
const container = pkg.contributes?.viewsContainers?.activitybar?.find((c) => c.id === 'worktracker');

let server;
let browser;
let runDir;
const finish = onShutdown(async () => {
  await browser?.close();
  await server?.stop();
  if (server) log(`stopped code-server (pid ${server.pid})`);
  if (server?.logFile && fs.existsSync(server.logFile)) fs.copyFileSync(server.logFile, path.join(OUT, 'code-server.log'));
  if (runDir && !process.env.KEEP_RUN_DIR) fs.rmSync(runDir, { recursive: true, force: true });
  else if (runDir) log('kept', runDir);
});
const watchdog = setTimeout(() => { log(`TIMEOUT after ${timeoutS}s`); console.log('0 passed, 1 failed'); void finish(2); }, timeoutS * 1000);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nbsp = (s) => s.replace(/\u00a0/g, ' ');
class CheckError extends Error {}
const check = (cond, message) => { if (!cond) throw new CheckError(message); };

/** Runs code-server's CLI (install/list) against the run's own folders, never the user's ~/.config. */
function codeServerCli(args) {
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'), XDG_DATA_HOME: path.join(runDir, 'xdg-data') };
  const r = spawnSync(process.execPath, [ENTRY, '--config', path.join(runDir, 'config.yaml'), '--user-data-dir', path.join(runDir, 'user-data'),
    '--extensions-dir', path.join(runDir, 'extensions'), ...args], { env, encoding: 'utf8', timeout: 120_000 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error || r.status !== 0) throw new HarnessError(`code-server ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${out}`);
  return out;
}

/** What the .vsix must hold for the manifest to work: main, the CLI (its MCP server runs it), icons, grammars, schemas. */
function requiredFiles() {
  const c = pkg.contributes ?? {};
  const files = [pkg.main, pkg.bin?.worktracker, pkg.icon, ...(c.viewsContainers?.activitybar ?? []).map((v) => v.icon),
    ...(c.grammars ?? []).map((g) => g.path), ...(c.yamlValidation ?? []).map((y) => y.url)];
  return [...new Set(files.filter((f) => typeof f === 'string' && !/^[a-z]+:/i.test(f)).map((f) => path.posix.normalize(f)))];
}

async function sidebarRowTexts(page) {
  const texts = await page.locator('.part.sidebar .pane-body .monaco-list-row').evaluateAll((rows) => rows.map((r) => {
    const label = r.querySelector('.label-name')?.textContent ?? r.textContent ?? '';
    const desc = r.querySelector('.label-description')?.textContent ?? '';
    return `${label} ${desc}`;
  }));
  return texts.map((t) => nbsp(t).replace(/\s+/g, ' ').trim());
}

/** The extension host's complaint about our extension ("Activating extension … failed" + the error), if any. */
function activationErrors() {
  const logs = path.join(runDir ?? '', 'user-data', 'logs');
  if (!runDir || !fs.existsSync(logs)) return '';
  const found = [];
  for (const session of fs.readdirSync(logs)) {
    for (const host of fs.existsSync(path.join(logs, session)) ? fs.readdirSync(path.join(logs, session)) : []) {
      const f = path.join(logs, session, host, 'remoteexthost.log');
      if (!host.startsWith('exthost') || !fs.existsSync(f)) continue;
      const lines = fs.readFileSync(f, 'utf8').split('\n');
      lines.forEach((l, i) => { if (l.includes(`Activating extension ${EXTENSION_ID} failed`)) found.push(...lines.slice(i, i + 4)); });
    }
  }
  return found.join('\n');
}

try {
  const t0 = Date.now();
  ensureCodeServer();
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'worktracker-vsix-'));
  for (const d of ['user-data/User', 'extensions', 'xdg-config', 'xdg-data']) fs.mkdirSync(path.join(runDir, d), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'config.yaml'), '');

  // 1. Package (production build) into test-output/vsix/, unless told which .vsix to check.
  let vsix = process.env.VSIX ? path.resolve(process.env.VSIX) : path.join(OUT, `${pkg.name}-${pkg.version}.vsix`);
  if (!process.env.VSIX) {
    log('npm run package');
    const r = spawnSync('npm', ['run', 'package', '--silent', '--', '--out', vsix], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new HarnessError(`npm run package failed:\n${r.stdout}${r.stderr}`);
  }
  check(fs.existsSync(vsix), `no .vsix at ${vsix}`);
  log(`${path.relative(ROOT, vsix)}: ${(fs.statSync(vsix).size / 1024).toFixed(1)} KB`);

  // The .vsix is a zip: its file list says at once whether the manifest's files made it in.
  const listing = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
  if (listing.status === 0) {
    const inside = new Set(listing.stdout.split('\n').filter(Boolean));
    const missing = requiredFiles().filter((f) => !inside.has(`extension/${f}`));
    check(missing.length === 0, `the .vsix lacks ${missing.join(', ')} (allow-list them in .vscodeignore); it holds: ${[...inside].join(', ')}`);
  } else {
    log('unzip not available: skipping the file-list check, the workbench check below still runs');
  }

  // 2–3. Install offline into a fresh extensions dir; list it.
  const installOut = codeServerCli(['--install-extension', vsix]);
  log(installOut.trim().split('\n').pop());
  const listed = codeServerCli(['--list-extensions', '--show-versions']).split('\n').map((l) => l.trim()).filter(Boolean);
  check(listed.includes(WANT), `--list-extensions --show-versions does not list ${WANT}; it lists: ${JSON.stringify(listed)}`);
  log(`installed: ${WANT} (VS Code ${vscodeVersion()})`);

  // 4. A workbench on the installed copy only.
  const workspace = path.join(runDir, 'demo');
  makeWorkspace(workspace, { demoAtRoot: true, examples: false, fixtures: false });
  server = await startCodeServer({ runDir, workspace, port: await freePort() });
  browser = await launchBrowser();
  const page = browser.context.pages()[0] || (await browser.context.newPage());
  await page.goto(workbenchUrl(server.url, { folder: workspace }), { waitUntil: 'domcontentloaded' });

  try {
    await page.locator('.part.activitybar .action-item').first().waitFor({ state: 'visible', timeout: 60_000 });
    const title = container?.title ?? 'Worktracker';
    const item = page.locator(`.part.activitybar .action-item .action-label[aria-label^="${title}"]`);
    const hasItem = await item.first().waitFor({ state: 'visible', timeout: 30_000 }).then(() => true, () => false);
    check(hasItem, `no "${title}" item in the activity bar: the installed extension's views were not contributed`);
    await item.first().click();
    const rows = page.locator('.part.sidebar .pane-body .monaco-list-row');
    // Rows, or the extension host saying activation failed (then there is no point waiting a minute).
    let hasRows = false;
    for (const until = Date.now() + 60_000; Date.now() < until && !hasRows && !activationErrors();) {
      hasRows = await rows.first().waitFor({ state: 'visible', timeout: 1000 }).then(() => true, () => false);
    }
    if (!hasRows) {
      const body = nbsp(await page.locator('.part.sidebar').innerText().catch(() => '')).replace(/\s+/g, ' ');
      throw new CheckError(`the Worktracker tree shows no rows (the installed extension did not activate?); side bar: "${body.slice(0, 300)}"`);
    }
    // Expand until the phase rows are listed (the tracker root may start collapsed).
    const demo = fs.readFileSync(path.join(ROOT, 'demo', TRACKER), 'utf8');
    const phases = [...demo.matchAll(/^###\s+[\d.]*\s*PHASE\s+(\d+)\b/gim)].map((m) => Number(m[1]));
    const barriers = [...demo.matchAll(/^###\s+[\d.]*\s*BARRIER\s+(\d+)\b/gim)].map((m) => Number(m[1]));
    check(phases.length > 0, `demo/${TRACKER} has no "### … PHASE n" heading to look for`);
    let texts = [];
    for (let i = 0; i < 6; i++) {
      texts = await sidebarRowTexts(page);
      if (phases.every((n) => texts.some((t) => new RegExp(`^Phase ${n}\\b`).test(t)))) break;
      const collapsed = rows.and(page.locator('[aria-expanded="false"]'));
      if (!(await collapsed.count())) { await sleep(500); continue; }
      await collapsed.first().locator('.monaco-tl-twistie').click();
      await sleep(400);
    }
    log('tree rows:', JSON.stringify(texts));
    for (const n of phases) check(texts.some((t) => new RegExp(`^Phase ${n}\\b`).test(t)), `no "Phase ${n}" row in the tree; rows: ${JSON.stringify(texts)}`);
    for (const n of barriers) check(texts.some((t) => new RegExp(`^Barrier ${n}\\b`).test(t)), `no "Barrier ${n}" row in the tree; rows: ${JSON.stringify(texts)}`);

    // The status bar item: "<done>/<total>" agents (one tracker in the workspace, so it shows without an editor).
    // Agents are the rows of the phase tables (section 2), not the queue or blocker tables that repeat their ids.
    const log2 = /^##\s+2\.[^\n]*\n([\s\S]*?)(?=^##\s)/m.exec(demo)?.[1] ?? demo;
    const agents = new Set([...log2.matchAll(/^\|\s*([a-z][\w-]*-\d{3})\s*\|/gim)].map((m) => m[1]));
    const status = page.locator('.part.statusbar [id="worktracker.orchestration-worktracker.worktracker.progress"], .part.statusbar .statusbar-item', { hasText: /\d+\/\d+/ });
    const hasStatus = await status.first().waitFor({ state: 'visible', timeout: 30_000 }).then(() => true, () => false);
    check(hasStatus, 'no "<done>/<total>" progress item in the status bar');
    const statusText = nbsp(await status.first().innerText()).trim();
    const m = /(\d+)\/(\d+)/.exec(statusText);
    log(`status bar: "${statusText}"`);
    check(m && Number(m[2]) === agents.size && Number(m[1]) > 0 && Number(m[1]) < Number(m[2]),
      `status bar progress "${statusText}" does not count the demo's ${agents.size} agents`);
    await page.mouse.move(900, 600); // no activity-bar tooltip over the tree
    await sleep(800);
    await page.locator('.part.sidebar').screenshot({ path: path.join(OUT, 'tree.png') });
    await page.screenshot({ path: path.join(OUT, 'workbench.png') });
  } catch (e) {
    await page.screenshot({ path: path.join(OUT, 'failure.png') }).catch(() => {});
    const why = activationErrors();
    if (why) console.log(`extension host log:\n${why.split('\n').map((l) => `  | ${l}`).join('\n')}`);
    throw e;
  }
  console.log(`\n  ✔ ${WANT} installs from the .vsix and works in VS Code ${vscodeVersion()} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  console.log(`screenshots: ${path.relative(ROOT, OUT)}/\n1 passed, 0 failed`);
  clearTimeout(watchdog);
  await finish(0);
} catch (e) {
  if (shuttingDown()) await new Promise(() => {});
  console.error(e instanceof HarnessError || e instanceof CheckError ? `FAILED: ${e.message}` : e);
  console.log('0 passed, 1 failed');
  clearTimeout(watchdog);
  await finish(1);
}

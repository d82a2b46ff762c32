// The dev build of the extension is present in the real VS Code, activates cleanly, and every command its
// manifest contributes is registered.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import pkg from '../../../package.json';

const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;
const contributed: string[] = ((pkg as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map((c) => c.command);

describe('activation', () => {
  it(`finds ${EXTENSION_ID}, loaded from this project`, () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed in the test VS Code`);
    // extensionDevelopmentPath must point at this checkout, not at some installed copy.
    assert.equal(path.resolve(ext.extensionPath), path.resolve(__dirname, '../../../..'));
  });

  it('activates without error', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers worktracker.* commands, including every contributed one', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    await ext?.activate();
    const all = await vscode.commands.getCommands(true);
    const ours = all.filter((c) => c.startsWith('worktracker.'));
    assert.ok(ours.length > 0, 'no worktracker.* command is registered');
    const missing = contributed.filter((c) => !all.includes(c));
    assert.deepEqual(missing, [], `contributed in package.json but not registered: ${missing.join(', ')}`);
  });

  it('runs against the pinned VS Code with a workspace folder open', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    assert.equal(vscode.workspace.workspaceFolders?.length, 1);
  });
});

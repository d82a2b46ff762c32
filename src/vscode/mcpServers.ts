/**
 * Offers `worktracker mcp` to the editor's own MCP client, one stdio server per workspace folder,
 * where the editor has an MCP server definition provider API (VS Code 1.101+; this extension
 * targets 1.100, so the API is looked up at run time and nothing happens without it). The server is
 * the bundled CLI (`dist/cli.js mcp --root <folder>`), run by the editor's own Node
 * (`ELECTRON_RUN_AS_NODE`), so no `node` on the PATH is needed. Restricted Mode offers none.
 */
import * as vscode from 'vscode';
import { Disposable } from './dispose';

export const MCP_PROVIDER_ID = 'worktracker.mcp';

/** The parts of the newer API used here, declared locally so the 1.100 types compile. */
interface McpApi {
  registerMcpServerDefinitionProvider(id: string, provider: { onDidChangeMcpServerDefinitions?: vscode.Event<void>; provideMcpServerDefinitions(token: vscode.CancellationToken): unknown[] }): vscode.Disposable;
}
type StdioDefinition = new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => unknown;

export class McpServers extends Disposable {
  /** True when the editor offered the API and the provider is registered. */
  readonly offered: boolean;

  constructor(
    private readonly context: vscode.ExtensionContext,
    log: Pick<vscode.LogOutputChannel, 'info'>,
  ) {
    super();
    const lm = vscode.lm as unknown as Partial<McpApi>;
    const Definition = (vscode as unknown as { McpStdioServerDefinition?: StdioDefinition }).McpStdioServerDefinition;
    if (typeof lm.registerMcpServerDefinitionProvider !== 'function' || typeof Definition !== 'function') {
      this.offered = false;
      log.info('This editor has no MCP server definition provider API: run `worktracker mcp` from your MCP client (see the README, "For agents")');
      return;
    }
    const changed = this._register(new vscode.EventEmitter<void>());
    let provider: vscode.Disposable | undefined;
    try {
      provider = lm.registerMcpServerDefinitionProvider!(MCP_PROVIDER_ID, {
        onDidChangeMcpServerDefinitions: changed.event,
        provideMcpServerDefinitions: () => this.definitions(Definition),
      });
    } catch (e) {
      // An editor whose API differs (1.100 names the contribution modelContextServerCollections):
      // never let this optional feature stop the extension.
      log.info(`MCP server definitions not offered: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.offered = provider !== undefined;
    if (!provider) return;
    this._registerAll(provider, vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()), vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()));
  }

  private definitions(Definition: StdioDefinition): unknown[] {
    if (!vscode.workspace.isTrusted) return [];
    const cli = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'cli.js').fsPath;
    const version = String((this.context.extension.packageJSON as { version?: string }).version ?? '');
    return (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => new Definition(`Worktracker: ${f.name}`, process.execPath, [cli, 'mcp', '--root', f.uri.fsPath], { ELECTRON_RUN_AS_NODE: '1' }, version));
  }
}

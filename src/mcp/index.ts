/**
 * `worktracker mcp [--root DIR]`: the MCP server over stdio. stdout carries only protocol messages;
 * the process ends when the client closes stdin.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Root } from './root';
import { createServer } from './server';

export { createServer, ToolError, SCHEMAS } from './server';
export { Root } from './root';

export async function runMcpServer(rootDir: string): Promise<number> {
  const root = await Root.open(rootDir);
  // Messages from the shared loaders name files relative to the current folder: make that the root.
  process.chdir(root.real);
  // Test seam (never set in normal use): wait between reading and writing, to provoke "changed meanwhile".
  const pause = Number(process.env.WORKTRACKER_TEST_PAUSE_BEFORE_WRITE_MS ?? '') || undefined;
  const server = createServer(root, { pauseBeforeWriteMs: pause });
  const transport = new StdioServerTransport();
  const closed = new Promise<number>((resolve) => {
    server.server.onclose = () => resolve(0);
  });
  await server.connect(transport);
  process.stdin.once('end', () => void server.close());
  process.stderr.write(`worktracker mcp: serving trackers under ${root.real}\n`);
  return closed;
}

/**
 * Entry of the benchmark's own bundle (built by bench/run.ts with esbuild, the way the extension is
 * bundled): the bare parsers the extension's paths are compared with, and the core functions timed
 * on their own (syncDerived) or used as the reference for the sanity checks. Bundled rather than
 * loaded through tsx so the peers run as compiled, minified-free CommonJS like the extension's code.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import MarkdownIt from 'markdown-it';
import { parseTracker } from '../src/core/tracker';
import { analyze } from '../src/core/analyze';
import { isDashboardStale, isMetricsStale, syncDerived } from '../src/core/dashboard';
import { NodeFs } from '../src/node/fs';

/** The three bare parsers: remark + GFM (what the reader uses), remark with only GFM tables, markdown-it. */
export function peers(): { remarkGfm: (md: string) => unknown; remarkTables: (md: string) => unknown; markdownIt: (md: string) => unknown } {
  const all = unified().use(remarkParse).use(remarkGfm);
  const tables = unified()
    .use(remarkParse)
    .use(function tablesOnly(this: any) {
      const data = this.data() as Record<string, unknown[] | undefined>;
      (data.micromarkExtensions ??= []).push(gfmTable());
      (data.fromMarkdownExtensions ??= []).push(gfmTableFromMarkdown());
    });
  const mdit = new MarkdownIt();
  return { remarkGfm: (md) => all.parse(md), remarkTables: (md) => tables.parse(md), markdownIt: (md) => mdit.parse(md, {}) };
}

export const core = { parseTracker, analyze, syncDerived, staleness: { isDashboardStale, isMetricsStale }, NodeFs };

/**
 * One Tracker from its two files: the markdown (always) and the ORCHESTRATION.yaml (when given).
 * Read-time findings of both files end up in `Tracker.findings`.
 */
import { posix } from 'node:path';
import { parseMarkdown, type MarkdownCache } from './markdown';
import { parseYaml } from './yaml';
import type { ParseOptions, Tracker, YamlModel } from './model';
import { TRACKER_FILE, YAML_FILE } from './files';

/** Path of the YAML beside a markdown file (`ORCHESTRATION.yaml` in the same folder). */
export function yamlPathFor(mdFile: string): string {
  const dir = posix.dirname(mdFile.replace(/\\/g, '/'));
  return dir === '.' && !mdFile.includes('/') ? YAML_FILE : posix.join(dir, YAML_FILE);
}

/**
 * What one document's previous parse can lend the next: the markdown's sections and the YAML's
 * model while its text is the same (the YAML is read again only when it changed).
 */
export interface TrackerCache extends MarkdownCache {
  yaml?: { text: string; file: string; model: YamlModel };
}

export function createTrackerCache(): TrackerCache {
  return { sections: new Map() };
}

/**
 * Reads a Tracker. `yamlText === undefined` means there is no YAML file; an empty string is an
 * empty YAML file. Never throws: a failure in either reader becomes a finding.
 */
export function parseTracker(markdownText: string, yamlText?: string, options?: ParseOptions, cache?: TrackerCache): Tracker {
  const mdFile = options?.mdFile ?? TRACKER_FILE;
  const yamlFile = options?.yamlFile ?? yamlPathFor(mdFile);
  const tracker: Tracker = parseMarkdown(markdownText, mdFile, cache);
  if (yamlText !== undefined) {
    try {
      const kept = cache?.yaml;
      // The model is never changed after reading, so the same text may share it.
      const yaml = kept && kept.text === yamlText && kept.file === yamlFile ? kept.model : parseYaml(yamlText, yamlFile);
      if (cache) cache.yaml = { text: yamlText, file: yamlFile, model: yaml };
      tracker.yaml = yaml;
      tracker.findings.push(...yaml.findings);
    } catch (e) {
      const zero = { line: 0, column: 0, offset: 0 };
      tracker.findings.push({
        code: 'yaml-syntax',
        severity: 'error',
        message: `Could not read ${yamlFile}: ${e instanceof Error ? e.message : String(e)}`,
        file: yamlFile,
        range: { start: zero, end: zero },
      });
    }
  }
  return tracker;
}

/** Tree labels: a cell's or item's text as written, without its markdown markers. */

/**
 * `validate_plugin_json()` and `__init__.py` keep their underscores; `**bold**`, `_em_` and
 * `` `code` `` lose only their markers; code spans and backslash escapes are taken literally.
 */
export function plainLabel(text: string): string {
  const kept: string[] = [];
  const keep = (s: string) => `\u0000${kept.push(s) - 1}\u0000`;
  let t = text
    .replace(/\u0000/g, '')
    // Code spans: their text as is, without the backticks.
    .replace(/(`+)(.+?)\1(?!`)/g, (_m, _ticks: string, inner: string) => keep(inner.trim()))
    // Backslash escapes: the character itself.
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, (_m, c: string) => keep(c));
  t = t
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '$1')
    .replace(/(?<![\w*])\*(?=[^\s*])([^*]*?[^\s*])\*(?![\w*])/g, '$1')
    // Underscores only around whole words, never inside `snake_case` or before `.py`.
    .replace(/(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_]|\.\w)/g, '$1')
    .replace(/(?<![\w_])_(?=[^\s_])([^_]*?[^\s_])_(?![\w_]|\.\w)/g, '$1')
    .replace(/`+/g, '');
  return t.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => kept[Number(i)]).trim();
}

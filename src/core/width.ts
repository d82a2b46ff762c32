import stringWidth from 'string-width';

/**
 * Display width (terminal / monospace-editor columns) of text, so box borders and aligned tables
 * line up on screen: `✅`, `⏳`, `⚠️` (with VS16) and CJK take two columns, combining marks none.
 *
 * string-width does the heavy lifting; we only correct two cases it gets wrong for editors:
 * a bare text-presentation pictograph such as `⚠` (no VS16) renders one column wide, and a tab is
 * counted as TAB_WIDTH columns (VS Code's default) instead of zero.
 */
export const TAB_WIDTH = 4;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const textPresentation = /^\p{Extended_Pictographic}$/u;
const emojiPresentation = /^\p{Emoji_Presentation}$/u;
// Anything outside printable ASCII needs the slow path; most table text is pure ASCII.
const needsSlowPath = /[^\x20-\x7e]/;

export function displayWidth(s: string): number {
  if (!needsSlowPath.test(s)) return s.length;
  let w = 0;
  for (const { segment } of segmenter.segment(s)) {
    if (segment === '\t') w += TAB_WIDTH;
    else if (segment.length <= 2 && textPresentation.test(segment) && !emojiPresentation.test(segment)) w += 1;
    else w += stringWidth(segment);
  }
  return w;
}

/** Pads with spaces on the right up to `width` display columns (never truncates). */
export function padEndDisplay(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

/** Pads with spaces on the left up to `width` display columns (never truncates). */
export function padStartDisplay(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : ' '.repeat(width - w) + s;
}

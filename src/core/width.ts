import stringWidth from 'string-width';
import { remembered } from './memo';

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

/** Widths of graphemes already measured: dashboards repeat the same few (`█`, `░`, `✅`) a lot. */
const graphemeWidths = new Map<string, number>();

function graphemeWidth(g: string): number {
  let w = graphemeWidths.get(g);
  if (w === undefined) {
    if (g === '\t') w = TAB_WIDTH;
    else if (g.length <= 2 && textPresentation.test(g) && !emojiPresentation.test(g)) w = 1;
    else w = stringWidth(g);
    if (graphemeWidths.size < 10_000) graphemeWidths.set(g, w);
  }
  return w;
}

/** Widths of strings that need the slow path, once per text: the same dashboard lines are measured on every analysis. */
const slowWidthOnce = remembered(slowWidth, { max: 20_000, longest: 1000 });

export function displayWidth(s: string): number {
  return needsSlowPath.test(s) ? slowWidthOnce(s) : s.length;
}

function slowWidth(s: string): number {
  let w = 0;
  let i = 0;
  // Printable ASCII is one column each; only the rest goes through grapheme segmentation.
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && !(i + 1 < s.length && s.charCodeAt(i + 1) >= 0x300)) {
      w++;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < s.length && !(s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x7e)) j++;
    // Include a following ASCII char only if a combining mark could attach to it: never needed, as
    // marks follow their base; so the chunk [i, j) holds whole graphemes.
    for (const { segment } of segmenter.segment(s.slice(i, j))) w += graphemeWidth(segment);
    i = j;
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

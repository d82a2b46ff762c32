/**
 * A function of a text that answers texts it has seen before from memory: re-analysis while typing
 * asks about the same cells, headers, paths, folder names and drawn lines again and again. Bounded:
 * emptied when `max` answers are held; a text longer than `longest` is never kept. Answers are
 * shared between callers, so they must not change them. Pure; anyone in the core may import it.
 */
export function remembered<T>(fn: (text: string) => T, { max = 50_000, longest = 1024 }: { max?: number; longest?: number } = {}): (text: string) => T {
  const seen = new Map<string, T>();
  return (text) => {
    const hit = seen.get(text);
    if (hit !== undefined || seen.has(text)) return hit as T;
    const v = fn(text);
    if (text.length <= longest) {
      if (seen.size >= max) seen.clear();
      seen.set(text, v);
    }
    return v;
  };
}

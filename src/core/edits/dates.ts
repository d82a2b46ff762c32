/**
 * Dates written by edits: in the form the column (or the YAML) already uses, date only or ISO, with
 * or without seconds and zone, from a given date or the clock. Public through `./index.ts`
 * (`dateText`, `dateFormatOf`: the dashboard sync writes its dates the same way).
 */
import { mostCommon } from './common';

export interface EditOptions {
  /** `YYYY-MM-DD` or an ISO timestamp; default: `now`. A plain date is written as given. */
  date?: string;
  now?: Date;
  /** Force the date style; `auto` (default) follows the dates already in the column. */
  dateStyle?: 'date' | 'iso' | 'auto';
}

const DATE_SHAPE = /^(\d{4}-\d{2}-\d{2})(?:([T ])(\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/;

interface DateFormat {
  time: boolean;
  sep: 'T' | ' ';
  seconds: boolean;
  zulu: boolean;
}

export function dateFormatOf(sample: string): DateFormat | undefined {
  const m = DATE_SHAPE.exec(sample.trim());
  if (!m) return undefined;
  if (!m[2]) return { time: false, sep: 'T', seconds: false, zulu: false };
  return { time: true, sep: m[2] as 'T' | ' ', seconds: !!m[4], zulu: m[6] === 'Z' };
}

/** The date format most used by `samples`, else the requested / learned style. */
function pickFormat(samples: readonly string[], style: 'date' | 'iso' | 'unknown' | 'auto' | undefined): DateFormat {
  if (style === 'date') return { time: false, sep: 'T', seconds: false, zulu: false };
  if (style === 'iso') {
    const f = samples.map(dateFormatOf).find((x) => x?.time);
    return f ?? { time: true, sep: 'T', seconds: true, zulu: true };
  }
  const keyed = samples.map((s) => dateFormatOf(s)).filter((f): f is DateFormat => !!f);
  const key = mostCommon(keyed.map((f) => JSON.stringify(f)));
  if (key) return JSON.parse(key) as DateFormat;
  return { time: false, sep: 'T', seconds: false, zulu: false };
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function formatDate(d: Date, f: DateFormat): string {
  if (f.zulu) {
    const iso = d.toISOString(); // 2026-02-11T14:25:07.123Z
    if (!f.time) return iso.slice(0, 10);
    return `${iso.slice(0, 10)}${f.sep}${iso.slice(11, f.seconds ? 19 : 16)}Z`;
  }
  // Without a zone marker the file means local time, as a person would write it.
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  if (!f.time) return date;
  return `${date}${f.sep}${two(d.getHours())}:${two(d.getMinutes())}${f.seconds ? `:${two(d.getSeconds())}` : ''}`;
}

export function dateText(opts: EditOptions | undefined, samples: readonly string[], learned: 'date' | 'iso' | 'unknown'): string {
  const style = opts?.dateStyle && opts.dateStyle !== 'auto' ? opts.dateStyle : undefined;
  const f = pickFormat(samples, style ?? (samples.some((s) => dateFormatOf(s)) ? 'auto' : learned));
  if (opts?.date) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(opts.date.trim())) return opts.date.trim();
    const d = new Date(opts.date);
    if (!Number.isNaN(d.getTime())) return formatDate(d, f);
    return opts.date.trim();
  }
  return formatDate(opts?.now ?? new Date(), f);
}

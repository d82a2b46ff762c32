/**
 * Seeded generator of tracker pairs (ORCHESTRATION_WORKTRACKER.md + ORCHESTRATION.yaml) shaped like the
 * real ones: 2–8 pipelines, phases with `#### Pipeline X Phase N:` groups and agent tables, barriers with
 * direction tables and checklists, emoji statuses in several dialects, a boxed dashboard, queue,
 * blockers, metrics and next actions. Used by the benchmark and by the property tests, so it must be
 * deterministic for a seed and must know the truth it wrote (agents, statuses, artifact files).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Canonical statuses the generator writes (a subset of the model's Status). */
export type GenStatus = 'PENDING' | 'IN_PROGRESS' | 'COMPLETE' | 'BLOCKED' | 'FAILED';

/** Small, fast, seedable PRNG (mulberry32): same seed, same sequence, on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** How a file spells statuses; real files each stick to one of these. */
export interface StatusDialect {
  name: string;
  spell: Record<GenStatus, string>;
  /** Emoji legend table written into the file, when the dialect has one. */
  legend: boolean;
}

export const DIALECTS: readonly StatusDialect[] = [
  {
    name: 'template',
    legend: false,
    spell: { PENDING: 'PENDING', IN_PROGRESS: 'IN_PROGRESS', COMPLETE: 'COMPLETE', BLOCKED: 'BLOCKED', FAILED: 'FAILED' },
  },
  {
    name: 'emoji-prefix',
    legend: false,
    spell: { PENDING: '⏳ PENDING', IN_PROGRESS: '🔄 IN PROGRESS', COMPLETE: '✅ COMPLETE', BLOCKED: '🚫 BLOCKED', FAILED: '❌ FAILED' },
  },
  {
    name: 'done',
    legend: false,
    spell: { PENDING: '⏳ PENDING', IN_PROGRESS: '🔄 IN PROGRESS', COMPLETE: '✅ DONE', BLOCKED: '🔒 BLOCKED', FAILED: '❌ FAILED' },
  },
  {
    name: 'legend',
    legend: true,
    spell: { PENDING: '⬜ PENDING', IN_PROGRESS: '🔄 IN_PROGRESS', COMPLETE: '✅ COMPLETE', BLOCKED: '🔒 BLOCKED', FAILED: '❌ FAILED' },
  },
  {
    name: 'suffix-emoji',
    legend: false,
    spell: { PENDING: 'PENDING ⏳', IN_PROGRESS: 'IN PROGRESS 🔄', COMPLETE: 'COMPLETE ✅', BLOCKED: 'BLOCKED 🔒', FAILED: 'FAILED ❌' },
  },
  {
    name: 'lower',
    legend: false,
    spell: { PENDING: 'pending', IN_PROGRESS: 'in_progress', COMPLETE: 'complete', BLOCKED: 'blocked', FAILED: 'failed' },
  },
];

const EMOJI: Record<GenStatus, string> = { PENDING: '⏳', IN_PROGRESS: '🔄', COMPLETE: '✅', BLOCKED: '🔒', FAILED: '❌' };

/** Agent-table header variants seen in real files (columns by meaning, in several orders). */
type Col = 'agent' | 'role' | 'status' | 'started' | 'completed' | 'artifact' | 'notes';
const AGENT_HEADERS: readonly { cols: Col[]; names: string[] }[] = [
  { cols: ['agent', 'status', 'started', 'completed', 'artifact', 'notes'], names: ['Agent', 'Status', 'Started', 'Completed', 'Artifacts', 'Notes'] },
  { cols: ['agent', 'role', 'status', 'artifact', 'started', 'completed', 'notes'], names: ['Agent ID', 'Role', 'Status', 'Artifact Path', 'Started', 'Completed', 'Notes'] },
  { cols: ['agent', 'role', 'status', 'started', 'completed', 'artifact', 'notes'], names: ['Agent', 'Role', 'Status', 'Started', 'Completed', 'Artifact', 'Notes'] },
];

const GROUP_WORDS = ['Pipeline', 'Track', 'Stream'] as const;
const PHASE_NAMES = ['Research', 'Analysis', 'Design', 'Synthesis', 'Review', 'Implementation', 'Validation', 'Scope', 'Risk', 'Formal', 'Integration', 'Hardening'];
const ROLES = ['ps-researcher', 'ps-analyst', 'ps-architect', 'ps-critic', 'nse-requirements', 'nse-risk', 'ps-validator', 'ps-synthesizer'];
const WORDS = ['coverage', 'gap', 'analysis', 'risk', 'register', 'baseline', 'trade-off', 'FMEA', 'session', 'lifecycle', 'handoff', 'dispatch', 'quality', 'gate', 'score', 'threshold', 'evidence', 'sources', 'constraint', 'merge', 'worktree', 'schema', 'drift', 'metric'];
const ALIAS_SETS: readonly string[][] = [
  ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
  ['ps', 'nse', 'impl', 'vv', 'sec', 'ops', 'doc', 'qa'],
];

export interface GenOptions {
  seed: number;
  /** Approximate size in bytes (UTF-8) of the markdown. */
  targetBytes: number;
  /** Number of pipelines, 2..8; random when absent. */
  pipelines?: number;
  /** Dialect name from DIALECTS; random when absent. */
  dialect?: string;
  eol?: '\n' | '\r\n';
  bom?: boolean;
  /** Share of artifact files left missing on disk (default 0.1). */
  missingRate?: number;
}

export interface GenAgent {
  id: string;
  status: GenStatus;
  /** Pipeline alias. */
  pipeline: string;
  phase: number;
  /** Repository-relative artifact path. */
  artifact: string;
}

export interface GenBarrier {
  number: number;
  status: GenStatus;
  artifacts: string[];
}

export interface GeneratedTracker {
  seed: number;
  md: string;
  yaml: string;
  /** Folder (repository-relative) where the two files sit. */
  trackerDir: string;
  /** Repository-relative artifact files that exist on disk. */
  files: string[];
  /** Repository-relative artifact paths the tracker names that are missing on disk. */
  missing: string[];
  agents: GenAgent[];
  barriers: GenBarrier[];
  phases: { number: number; status: GenStatus }[];
  pipelines: string[];
  dialect: string;
  eol: '\n' | '\r\n';
  bom: boolean;
}

interface PhaseState {
  number: number;
  name: string;
  status: GenStatus;
}

function sentence(rng: Rng, n: number): string {
  const w: string[] = [];
  for (let i = 0; i < n; i++) w.push(rng.pick(WORDS));
  const s = w.join(' ');
  return s[0].toUpperCase() + s.slice(1) + '.';
}

function dateOf(day: number): string {
  const d = new Date(Date.UTC(2026, 0, 5) + day * 86400000);
  return d.toISOString().slice(0, 10);
}

/** `████░░░░` bar of 12 cells, as in the template. */
function bar(pct: number): string {
  const full = Math.round((pct / 100) * 12);
  return '█'.repeat(full) + '░'.repeat(12 - full);
}

function boxLine(content: string, width: number): string {
  // Padded by code units, not display columns: real dashboards are ragged the same way.
  return '║' + content.padEnd(width, ' ') + '║';
}

/**
 * Generates one tracker pair of about `targetBytes`: builds with a few phase counts and extrapolates,
 * because a phase's size depends on random agent counts and the tail grows with the phase count.
 */
export function generateTracker(opts: GenOptions): GeneratedTracker {
  const size = (g: GeneratedTracker) => Buffer.byteLength(g.md);
  const target = opts.targetBytes;
  const a = buildTracker(opts, 2);
  const b = buildTracker(opts, 4);
  const per = Math.max(1, (size(b) - size(a)) / 2);
  const fixed = size(a) - 2 * per;
  // The largest phase count that stays under the target...
  let n = Math.max(1, Math.floor((target - fixed) / per));
  let g = buildTracker(opts, n);
  for (let i = 0; i < 6 && size(g) > target && n > 1; i++) {
    n = Math.max(1, n - Math.max(1, Math.ceil((size(g) - target) / per)));
    g = buildTracker(opts, n);
  }
  for (let i = 0; i < 6; i++) {
    const next = buildTracker(opts, n + 1);
    if (size(next) > target) break;
    n++;
    g = next;
  }
  // ...then the rest of the way with session-log rows, which real trackers grow by too.
  const deficit = target - size(g);
  if (deficit <= 0) return g;
  let rows = Math.max(1, Math.round(deficit / 90));
  const probe = buildTracker(opts, n, rows);
  const perRow = Math.max(1, (size(probe) - size(g)) / rows);
  rows = Math.max(0, Math.round(deficit / perRow));
  return buildTracker(opts, n, rows);
}

/** Builds a tracker with exactly `nPhases` phases; deterministic for (options, nPhases). */
export function buildTracker(opts: GenOptions, nPhases: number, extraLogRows = 0): GeneratedTracker {
  const rng = new Rng(opts.seed);
  const eol = opts.eol ?? '\n';
  const bom = opts.bom ?? false;
  const missingRate = opts.missingRate ?? 0.1;
  // Small trackers have few pipelines: one phase of eight pipelines alone is over 10 KiB.
  const maxPipes = opts.targetBytes < 16_384 ? 3 : opts.targetBytes < 65_536 ? 5 : 8;
  const nPipes = Math.max(2, Math.min(8, opts.pipelines ?? rng.int(2, maxPipes)));
  const dialect = DIALECTS.find((d) => d.name === opts.dialect) ?? rng.pick(DIALECTS);
  const aliases = rng.pick(ALIAS_SETS).slice(0, nPipes);
  const header = rng.pick(AGENT_HEADERS);
  const groupWord = rng.pick(GROUP_WORDS);
  const dash = rng.pick([' - ', ' — ']);
  const bareArtifactCell = rng.chance(0.5);
  const wfId = `bench-${rng.pick(WORDS).toLowerCase().replace(/[^a-z]/g, '')}-2026${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(10, 28))}-001`;
  const trackerDir = `projects/PROJ-${String(rng.int(1, 99)).padStart(3, '0')}-bench`;
  const base = `${trackerDir}/orchestration/${wfId}`;
  // Bigger trackers have bigger phases (more agents per group), as real long-running ones do.
  const maxAgents = opts.targetBytes < 20_000 ? 2 : opts.targetBytes < 200_000 ? 4 : 8;
  const progressRoll = rng.next();
  const headLines = headerBlock(rng, dialect, wfId);

  // Structure first (ids, paths), statuses next (they depend on the phase count), text last.
  const agents: GenAgent[] = [];
  const barriers: GenBarrier[] = [];
  const phases: PhaseState[] = [];
  const structure: { phase: PhaseState; groups: GenAgent[][] }[] = [];
  for (let p = 1; p <= nPhases; p++) {
    const name = PHASE_NAMES[(p - 1) % PHASE_NAMES.length] + (p > PHASE_NAMES.length ? ` ${Math.ceil(p / PHASE_NAMES.length)}` : '');
    const phase: PhaseState = { number: p, name, status: 'PENDING' };
    phases.push(phase);
    const groups: GenAgent[][] = [];
    for (const alias of aliases) {
      const g: GenAgent[] = [];
      const count = rng.int(1, maxAgents);
      for (let k = 1; k <= count; k++) {
        const id = `${alias}-${String(p).padStart(2, '0')}-${String(k).padStart(3, '0')}`;
        const artifact = `${base}/${alias}/phase-${p}-${name.toLowerCase().replace(/ /g, '-')}/${id}/${id}-${rng.pick(['research', 'analysis', 'design', 'review', 'report'])}.md`;
        const a: GenAgent = { id, status: 'PENDING', pipeline: alias, phase: p, artifact };
        agents.push(a);
        g.push(a);
      }
      groups.push(g);
    }
    structure.push({ phase, groups });
    const barrier: GenBarrier = { number: p, status: 'PENDING', artifacts: [] };
    for (let i = 0; i < aliases.length; i++) {
      barrier.artifacts.push(`${base}/cross-pollination/barrier-${p}/${aliases[i]}-to-${aliases[(i + 1) % aliases.length]}/handoff.md`);
    }
    barriers.push(barrier);
  }

  // Progress: the first phases are done, one is under way, the rest wait.
  const done = nPhases === 1 ? 0 : Math.min(nPhases - 1, Math.floor(progressRoll * nPhases));
  for (const ph of phases) ph.status = ph.number <= done ? 'COMPLETE' : ph.number === done + 1 ? 'IN_PROGRESS' : 'PENDING';
  for (const a of agents) {
    const st = phases[a.phase - 1].status;
    if (st === 'COMPLETE') a.status = rng.chance(0.03) ? 'FAILED' : 'COMPLETE';
    else if (st === 'IN_PROGRESS') a.status = rng.pick<GenStatus>(['COMPLETE', 'IN_PROGRESS', 'IN_PROGRESS', 'PENDING', 'BLOCKED']);
    else a.status = rng.chance(0.2) ? 'BLOCKED' : 'PENDING';
  }
  for (const b of barriers) b.status = b.number <= done ? 'COMPLETE' : b.number === done + 1 && rng.chance(0.5) ? 'IN_PROGRESS' : 'PENDING';

  // Missing files: a seeded share of every artifact path the tracker names.
  const files: string[] = [];
  const missing: string[] = [];
  for (const p of [...agents.map((a) => a.artifact), ...barriers.flatMap((b) => b.artifacts)]) (rng.chance(missingRate) ? missing : files).push(p);

  const body: string[] = [];
  const L = (s = '') => body.push(s);
  let secNo = 1;
  for (const { phase, groups } of structure) {
    const st = dialect.spell[phase.status];
    L((phase.number + opts.seed) % 3 === 0 ? `### 2.${secNo++} PHASE ${phase.number}${dash}${st}` : `### 2.${secNo++} PHASE ${phase.number}${dash}${phase.name}${dash}${st}`);
    L();
    groups.forEach((g, gi) => {
      const alias = aliases[gi];
      const title = groupWord === 'Pipeline' ? `Pipeline ${alias.toUpperCase()} Phase ${phase.number}: ${phase.name}` : `${groupWord} ${alias.toUpperCase()}: ${phase.name} (${alias})`;
      L(`#### ${title}`);
      L();
      L('| ' + header.names.join(' | ') + ' |');
      L('|' + header.names.map((n) => '-'.repeat(n.length + 2)).join('|') + '|');
      for (const a of g) {
        const started = a.status === 'PENDING' || a.status === 'BLOCKED' ? '-' : dateOf(phase.number * 2);
        const completed = a.status === 'COMPLETE' || a.status === 'FAILED' ? dateOf(phase.number * 2 + 1) : '-';
        const cells = header.cols.map((c) => {
          switch (c) {
            case 'agent':
              return a.id;
            case 'role':
              return rng.pick(ROLES);
            case 'status':
              return dialect.spell[a.status];
            case 'started':
              return started;
            case 'completed':
              return completed;
            case 'artifact':
              return bareArtifactCell ? a.artifact.slice(a.artifact.lastIndexOf('/') + 1) : '`' + a.artifact + '`';
            case 'notes':
              return sentence(rng, rng.int(3, 14));
          }
        });
        L('| ' + cells.join(' | ') + ' |');
      }
      L();
      L(`**Phase ${phase.number}${alias.toUpperCase()} Artifacts:**`);
      for (const a of g) L(`- [${a.status === 'COMPLETE' ? 'x' : ' '}] \`${a.artifact}\``);
      L();
    });
    L('---');
    L();
    const b = barriers[phase.number - 1];
    L(`### 2.${secNo++} BARRIER ${b.number}${dash}${dialect.spell[b.status]}`);
    L();
    L('| Direction | Artifact | Status | Key Content |');
    L('|-----------|----------|--------|-------------|');
    b.artifacts.forEach((path, i) => {
      const rel = path.slice(base.length + 1);
      L(`| ${aliases[i]}→${aliases[(i + 1) % aliases.length]} | \`${rel}\` | ${dialect.spell[b.status]} | ${sentence(rng, rng.int(4, 12))} |`);
    });
    L();
    L(`**Barrier ${b.number} Artifacts:**`);
    for (const path of b.artifacts) L(`- [${b.status === 'COMPLETE' ? 'x' : ' '}] \`${path}\``);
    L();
    L('---');
    L();
  }

  const tail = tailSections(rng, dialect, aliases, phases, barriers, agents, extraLogRows);
  const mdLines = [...headLines, ...dashboardSection(aliases, phases, barriers, agents, dialect), '## 2. Phase Execution Log', '', ...body, ...tail];
  let md = mdLines.join(eol) + eol;
  if (bom) md = '\ufeff' + md;
  const yaml = yamlOf(wfId, aliases, phases, barriers, agents, base, eol);
  return {
    seed: opts.seed,
    md,
    yaml,
    trackerDir,
    files,
    missing,
    agents,
    barriers,
    phases: phases.map((p) => ({ number: p.number, status: p.status })),
    pipelines: aliases,
    dialect: dialect.name,
    eol,
    bom,
  };
}

function headerBlock(rng: Rng, dialect: StatusDialect, wfId: string): string[] {
  const lines = [
    '# ORCHESTRATION_WORKTRACKER.md',
    '',
    '> **Document ID:** BENCH-ORCH-TRACKER',
    `> **Project:** PROJ-${String(rng.int(1, 99)).padStart(3, '0')}-bench`,
    `> **Workflow ID:** \`${wfId}\``,
    '> **Status:** ACTIVE',
    '> **Version:** 2.0',
    '> **Created:** 2026-01-05',
    '> **Last Updated:** 2026-02-20',
    '',
    '---',
    '',
  ];
  if (dialect.legend) {
    lines.push('### Status Legend', '', '| Emoji | Meaning |', '|-------|---------|');
    const meaning: Record<GenStatus, string> = { PENDING: 'Pending', IN_PROGRESS: 'In progress', COMPLETE: 'Complete', BLOCKED: 'Blocked', FAILED: 'Failed' };
    for (const s of Object.keys(meaning) as GenStatus[]) lines.push(`| ${dialect.spell[s].split(' ')[0]} | ${meaning[s]} |`);
    lines.push('', '---', '');
  }
  return lines;
}

function pctOf(list: GenAgent[]): number {
  if (list.length === 0) return 0;
  return Math.round((100 * list.filter((a) => a.status === 'COMPLETE').length) / list.length);
}

function dashboardSection(aliases: string[], phases: PhaseState[], barriers: GenBarrier[], agents: GenAgent[], dialect: StatusDialect): string[] {
  const W = 79;
  const out = ['## 1. Execution Dashboard', '', '```', '╔' + '═'.repeat(W) + '╗', boxLine('                        ORCHESTRATION EXECUTION STATUS', W), '╠' + '═'.repeat(W) + '╣', boxLine('', W)];
  const byKey = new Map<string, GenAgent[]>();
  for (const a of agents) {
    const k = `${a.pipeline}/${a.phase}`;
    let l = byKey.get(k);
    if (!l) byKey.set(k, (l = []));
    l.push(a);
  }
  for (const alias of aliases) {
    out.push(boxLine(`  PIPELINE ${alias.toUpperCase()}`, W), boxLine('  ' + '═'.repeat(10 + alias.length), W));
    for (const ph of phases) {
      const pct = pctOf(byKey.get(`${alias}/${ph.number}`) ?? []);
      out.push(boxLine(`  Phase ${ph.number}: ${bar(pct)} ${String(pct).padStart(3)}% ${EMOJI[pct === 100 ? 'COMPLETE' : pct > 0 ? 'IN_PROGRESS' : 'PENDING']}`, W));
    }
    out.push(boxLine('', W));
  }
  out.push(boxLine('  SYNC BARRIERS', W), boxLine('  ═════════════', W));
  for (const b of barriers) {
    out.push(boxLine(`  Barrier ${b.number}: ${bar(b.status === 'COMPLETE' ? 100 : 0)} ${dialect.spell[b.status].replace(/[^\x20-\x7e]/gu, '').trim()} ${EMOJI[b.status]}`, W));
  }
  const overall = pctOf(agents);
  out.push(boxLine('', W), boxLine(`  Overall Progress: ${bar(overall)} ${overall}%`, W), boxLine('', W), '╚' + '═'.repeat(W) + '╝', '```', '', '---', '');
  return out;
}

function tailSections(rng: Rng, dialect: StatusDialect, aliases: string[], phases: PhaseState[], barriers: GenBarrier[], agents: GenAgent[], extraLogRows: number): string[] {
  const out: string[] = [];
  const open = agents.filter((a) => a.status !== 'COMPLETE').slice(0, 40);
  out.push('## 3. Agent Execution Queue', '', '### 3.1 Current Queue (Priority Order)', '');
  out.push('| Priority | Agent | Pipeline | Phase | Dependencies | Status |', '|----------|-------|----------|-------|--------------|--------|');
  open.forEach((a, i) => out.push(`| ${i + 1} | ${a.id} | ${a.pipeline} | Phase ${a.phase} | ${a.phase > 1 ? `Barrier ${a.phase - 1} complete` : 'None'} | ${dialect.spell[a.status]} |`));
  out.push('', '---', '', '## 4. Blockers and Issues', '', '### 4.1 Active Blockers', '');
  out.push('| ID | Description | Blocking | Severity | Owner | Resolution |', '|----|-------------|----------|----------|-------|------------|');
  const blocked = agents.filter((a) => a.status === 'BLOCKED').slice(0, 5);
  if (blocked.length === 0) out.push('| -- | No active blockers | -- | -- | -- | -- |');
  blocked.forEach((a, i) => out.push(`| BLK-${String(i + 1).padStart(3, '0')} | ${sentence(rng, 6)} | ${a.id} | ${rng.pick(['LOW', 'MEDIUM', 'HIGH'])} | orchestrator | ${dialect.spell.PENDING} |`));
  out.push('', '### 4.2 Resolved Issues', '', '| ID | Description | Resolution | Resolved |', '|----|-------------|------------|----------|');
  out.push(`| ISS-001 | ${sentence(rng, 6)} | ${sentence(rng, 5)} | 2026-01-12 |`);
  out.push('', '---', '', '## 5. Checkpoints', '', '### 5.1 Checkpoint Log', '');
  out.push('| ID | Timestamp | Trigger | State | Recovery Point |', '|----|-----------|---------|-------|----------------|');
  phases
    .filter((p) => p.status === 'COMPLETE')
    .forEach((p, i) => out.push(`| CP-${String(i + 1).padStart(3, '0')} | ${dateOf(p.number * 2 + 1)}T18:00:00Z | PHASE_COMPLETE | Phase ${p.number} complete | barrier-${p.number}-start |`));
  const phasesDone = phases.filter((p) => p.status === 'COMPLETE').length;
  const barriersDone = barriers.filter((b) => b.status === 'COMPLETE').length;
  const agentsDone = agents.filter((a) => a.status === 'COMPLETE').length;
  const artTotal = agents.length + barriers.reduce((n, b) => n + b.artifacts.length, 0);
  const artDone = agentsDone + barriers.filter((b) => b.status === 'COMPLETE').reduce((n, b) => n + b.artifacts.length, 0);
  const mark = (n: number, t: number) => (n === t ? EMOJI.COMPLETE : `🟡 ${Math.round((100 * n) / Math.max(1, t))}%`);
  out.push('', '---', '', '## 6. Metrics', '', '### 6.1 Execution Metrics', '');
  out.push('| Metric | Value | Target | Status |', '|--------|-------|--------|--------|');
  out.push(`| Phases Complete | ${phasesDone}/${phases.length} | ${phases.length} | ${mark(phasesDone, phases.length)} |`);
  out.push(`| Barriers Complete | ${barriersDone}/${barriers.length} | ${barriers.length} | ${mark(barriersDone, barriers.length)} |`);
  out.push(`| Agents Executed | ${agentsDone}/${agents.length} | ${agents.length} | ${mark(agentsDone, agents.length)} |`);
  out.push(`| Artifacts Created | ${artDone}/${artTotal} | ${artTotal} | ${mark(artDone, artTotal)} |`);
  out.push('', '---', '', '## 7. Execution Notes', '', '### 7.1 Session Log', '', '| Timestamp | Event | Details |', '|-----------|-------|---------|');
  for (let i = 0; i < Math.min(phases.length, 30); i++) out.push(`| ${dateOf(i * 2)}T09:00:00Z | PHASE_${i + 1}_STARTED | ${sentence(rng, rng.int(5, 12))} |`);
  for (let i = 0; i < extraLogRows; i++) out.push(`| ${dateOf(i % 60)}T${String(10 + (i % 12))}:00:00Z | NOTE | ${sentence(rng, rng.int(5, 12))} |`);
  out.push('', '---', '', '## 8. Next Actions', '', '### 8.1 Immediate', '');
  open.slice(0, 8).forEach((a, i) => out.push(`${i + 1}. [ ] Execute ${a.id} (${aliases.indexOf(a.pipeline) >= 0 ? a.pipeline : '?'}): ${sentence(rng, 5)}`));
  if (open.length === 0) out.push('1. [x] Workflow complete');
  out.push('', '---', '', '## 9. Resumption Context', '', '### 9.1 For Next Session', '', '```', 'RESUMPTION CHECKLIST', '====================', '', '1. Read ORCHESTRATION_PLAN.md for strategic context', '2. Read this ORCHESTRATION_WORKTRACKER.md for execution state', '3. Read ORCHESTRATION.yaml for machine-readable state', '```', '', '---', '', '*Document ID: BENCH-ORCH-TRACKER*', '*Version: 2.0*');
  return out;
}

function q(s: string): string {
  return JSON.stringify(s);
}

function yamlOf(wfId: string, aliases: string[], phases: PhaseState[], barriers: GenBarrier[], agents: GenAgent[], base: string, eol: string): string {
  const y: string[] = [
    '# ORCHESTRATION.yaml',
    '# Machine-readable orchestration state (generated for the benchmark)',
    '',
    'schema_version: "2.0.0"',
    '',
    'workflow:',
    `  id: ${q(wfId)}`,
    '  name: "Benchmark workflow"',
    `  status: ${q(phases.every((p) => p.status === 'COMPLETE') ? 'COMPLETE' : 'ACTIVE')}`,
    '  updated_at: "2026-02-20T00:00:00Z"',
    '',
    'paths:',
    `  base: ${q(base + '/')}`,
    '',
    'pipelines:',
  ];
  const byKey = new Map<string, GenAgent[]>();
  for (const a of agents) {
    const k = `${a.pipeline}/${a.phase}`;
    let l = byKey.get(k);
    if (!l) byKey.set(k, (l = []));
    l.push(a);
  }
  for (const alias of aliases) {
    y.push(`  pipeline_${alias}:`, `    id: "pipeline-${alias}"`, `    short_alias: ${q(alias)}`, `    status: "ACTIVE"`, '    phases:');
    for (const ph of phases) {
      y.push(`      - id: ${ph.number}`, `        name: ${q(ph.name)}`, `        status: ${q(ph.status)}`, '        agents:');
      for (const a of byKey.get(`${alias}/${ph.number}`) ?? []) {
        y.push(`          - id: ${q(a.id)}`, `            status: ${q(a.status)}`, `            artifact: ${q(a.artifact)}`);
      }
    }
  }
  y.push('', 'barriers:');
  for (const b of barriers) {
    y.push(`  - id: "barrier-${b.number}"`, `    status: ${q(b.status)}`, '    artifacts:');
    b.artifacts.forEach((p, i) => {
      const from = aliases[i];
      const to = aliases[(i + 1) % aliases.length];
      y.push(`      ${from}_to_${to}:`, `        path: ${q(p)}`, `        status: ${q(b.status)}`);
    });
  }
  const done = (xs: { status: GenStatus }[]) => xs.filter((x) => x.status === 'COMPLETE').length;
  y.push('', 'metrics:', '  execution:');
  y.push(`    phases_complete: ${done(phases)}`, `    phases_total: ${phases.length}`, `    barriers_complete: ${done(barriers)}`, `    barriers_total: ${barriers.length}`, `    agents_executed: ${done(agents)}`, `    agents_total: ${agents.length}`);
  return y.join(eol) + eol;
}

/** Writes the pair and the existing artifact files under `root` (a temp dir); returns the tracker paths. */
export function materialize(gen: GeneratedTracker, root: string): { mdPath: string; yamlPath: string } {
  const dir = join(root, gen.trackerDir);
  mkdirSync(dir, { recursive: true });
  const mdPath = join(dir, 'ORCHESTRATION_WORKTRACKER.md');
  const yamlPath = join(dir, 'ORCHESTRATION.yaml');
  writeFileSync(mdPath, gen.md);
  writeFileSync(yamlPath, gen.yaml);
  for (const f of gen.files) {
    const p = join(root, f);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, `# ${f}\n`);
  }
  return { mdPath, yamlPath };
}

/** The four benchmark sizes. */
export const SIZES: readonly { label: string; bytes: number }[] = [
  { label: '10 KiB', bytes: 10 * 1024 },
  { label: '100 KiB', bytes: 100 * 1024 },
  { label: '1 MiB', bytes: 1024 * 1024 },
  { label: '5 MiB', bytes: 5 * 1024 * 1024 },
];

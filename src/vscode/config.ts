import * as vscode from 'vscode';
import type { FindingCode, Severity } from '../core/model';

/** Settings, read fresh each time so a change in the Settings UI applies without reload. */
export const SECTION = 'worktracker';

export type DateFormatSetting = 'auto' | 'date' | 'iso';
export type SeveritySetting = Severity | 'off';

export interface WorktrackerConfig {
  syncOnSave: boolean;
  dateFormat: DateFormatSetting;
  validateEnable: boolean;
  validateIgnore: string[];
  severity: Partial<Record<FindingCode, SeveritySetting>>;
  pathsBase: string;
  followCursor: boolean;
  refreshDelay: number;
}

export function getConfig(scope?: vscode.ConfigurationScope): WorktrackerConfig {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    syncOnSave: c.get<boolean>('syncOnSave', true),
    dateFormat: c.get<DateFormatSetting>('dateFormat', 'auto'),
    validateEnable: c.get<boolean>('validate.enable', true),
    validateIgnore: c.get<string[]>('validate.ignore', []).filter((g) => typeof g === 'string' && g.trim() !== ''),
    severity: c.get<Partial<Record<FindingCode, SeveritySetting>>>('validate.severity', {}),
    pathsBase: c.get<string>('paths.base', '').trim(),
    followCursor: c.get<boolean>('tree.followCursor', true),
    refreshDelay: Math.max(0, Math.min(5000, c.get<number>('refreshDelay', 300))),
  };
}

/** Whether a change event touches our section (optionally for one resource). */
export function affectsConfig(e: vscode.ConfigurationChangeEvent, key = SECTION, scope?: vscode.ConfigurationScope): boolean {
  return e.affectsConfiguration(key === SECTION ? SECTION : `${SECTION}.${key}`, scope);
}

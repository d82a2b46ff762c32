/**
 * The two file names of a Tracker. Their one home: the CLI, the extension and the core import them
 * from here. Pure; anyone may import it.
 */

/** The worktracker markdown every Tracker has. */
export const TRACKER_FILE = 'ORCHESTRATION_WORKTRACKER.md';

/** The optional ORCHESTRATION.yaml beside it. */
export const YAML_FILE = 'ORCHESTRATION.yaml';

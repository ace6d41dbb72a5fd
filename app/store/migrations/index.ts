import type { Migration } from './types.ts';
import { migration001 } from './001_library.ts';
import { migration002 } from './002_scan_log.ts';
import { migration003 } from './003_analyses.ts';
import { migration004 } from './004_analysis_ii.ts';
import { migration005 } from './005_jobs.ts';
import { migration006 } from './006_search.ts';
import { migration007 } from './007_chat.ts';
import { migration008 } from './008_deep.ts';
import { migration009 } from './009_search_speed.ts';
import { migration010 } from './010_library_order.ts';
import { migration011 } from './011_search_columns.ts';
import { migration012 } from './012_search_changes.ts';

/** Every migration in order. Append new ones; never edit or reorder a released one. */
export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012];

export type { Migration };

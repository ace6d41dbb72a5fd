// Test helpers for search: a store with the search schema, and fabricated analysed tracks.
import { migrations } from '../../app/store/migrations/index.ts';
import { migration006 } from '../../app/store/migrations/006_search.ts';
import type { Db } from '../../app/store/index.ts';

/**
 * Applies migration 6 by hand while it cannot be registered yet (migrations must be consecutive and
 * 4 — analysis II — has not landed); a no-op once it is registered.
 */
export function ensureSearchSchema(db: Db): void {
  if (migrations.some((m) => m.version === 6)) return;
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'search_text'").get();
  if (!has) db.transaction(() => db.exec(migration006.up))();
}

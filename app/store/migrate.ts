import type Database from 'better-sqlite3';
import type { Migration } from './migrations/types.ts';

export class MigrationError extends Error {
  override name = 'MigrationError';
  constructor(
    message: string,
    readonly code: 'SCHEMA_TOO_NEW' | 'MIGRATIONS_OUT_OF_ORDER' | 'MIGRATION_FAILED',
  ) {
    super(message);
  }
}

/** The schema version recorded in the database (SQLite's user_version), 0 for a new file. */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to the newest migration (or to `target`), each migration in its own
 * transaction together with the version bump, so a crash leaves the database at a whole version.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], target = migrations.length): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`migration ${m.name} has version ${m.version}, expected ${i + 1}`, 'MIGRATIONS_OUT_OF_ORDER');
  });
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new MigrationError(
      `this database has schema version ${current}, newer than this Linernotes understands (${migrations.length}); update the app`,
      'SCHEMA_TOO_NEW',
    );
  }
  for (const m of migrations.slice(current, target)) {
    const apply = db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      apply();
    } catch (err) {
      throw new MigrationError(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, 'MIGRATION_FAILED');
    }
  }
  return schemaVersion(db);
}

import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import * as sqliteVec from 'sqlite-vec';
import { migrate } from './migrate.ts';
import { migrations } from './migrations/index.ts';

export type Db = Database.Database;

export const DATABASE_FILE = 'library.db';

/**
 * Opens (creating if needed) the library database in `dataDir`, in WAL mode with foreign keys on,
 * and migrates it to the newest schema. `:memory:` opens a private in-memory database for tests.
 */
export function openDatabase(dataDir: string | ':memory:'): Db {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    fs.mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, DATABASE_FILE);
  }
  const db = new Database(file);
  loadVectorExtension(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

/** Loads sqlite-vec (the `vec0` virtual tables of migration 004 and later) into a connection. */
export function loadVectorExtension(db: Db): void {
  sqliteVec.load(db);
}

/** Memoises prepared statements by their SQL text (preparing is costly in hot loops). */
export function statementCache(db: Db): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
}

import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, schemaVersion, MigrationError } from '../../app/store/migrate.ts';
import { migrations } from '../../app/store/migrations/index.ts';
import { openStore } from '../../app/store/index.ts';
import { loadVectorExtension } from '../../app/store/db.ts';

const tableNames = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table','index') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

/** An in-memory database with sqlite-vec loaded, as openDatabase does (migration 004 makes a vec0 table). */
function memoryDb(): Database.Database {
  const db = new Database(':memory:');
  loadVectorExtension(db);
  return db;
}

describe('migrations', () => {
  it('are numbered 1..n in order', () => {
    migrations.forEach((m, i) => expect(m.version).toBe(i + 1));
  });

  it('migrate an empty database to the newest version', () => {
    const db = memoryDb();
    expect(schemaVersion(db)).toBe(0);
    expect(migrate(db, migrations)).toBe(migrations.length);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['roots', 'tracks', 'scans', 'scan_errors']));
  });

  it('migrate a database from every earlier version to the same schema as a fresh one', () => {
    const fresh = memoryDb();
    migrate(fresh, migrations);
    const want = tableNames(fresh);
    for (let from = 0; from < migrations.length; from++) {
      const db = memoryDb();
      migrate(db, migrations, from);
      expect(schemaVersion(db)).toBe(from);
      // a row written at the old version survives the upgrade
      if (from >= 1) db.prepare("INSERT INTO roots (path, added_at) VALUES ('/music', 1)").run();
      migrate(db, migrations);
      expect(schemaVersion(db)).toBe(migrations.length);
      expect(tableNames(db)).toEqual(want);
      if (from >= 1) expect(db.prepare('SELECT path FROM roots').get()).toEqual({ path: '/music' });
    }
  });

  it('roll back a failing migration whole, leaving the version unchanged', () => {
    const db = memoryDb();
    const broken = [...migrations, { version: migrations.length + 1, name: 'broken', up: 'CREATE TABLE extra (x); SELECT * FROM no_such_table;' }];
    expect(() => migrate(db, broken)).toThrow(MigrationError);
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(tableNames(db)).not.toContain('extra');
  });

  it('refuse a database from a newer app', () => {
    const db = memoryDb();
    db.pragma(`user_version = ${migrations.length + 1}`);
    expect(() => migrate(db, migrations)).toThrow(/newer than this Linernotes/);
  });

  it('open the on-disk store in WAL mode', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ln-store-'));
    const store = openStore(dir);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

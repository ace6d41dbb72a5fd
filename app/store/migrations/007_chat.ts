import type { Migration } from './types.ts';

/**
 * Chat (issue 8): conversations (optionally scoped to one track: "ask about this song") and their
 * messages, each assistant message with the citations (track ids, titles, timestamps) it rests on.
 * `IF NOT EXISTS` because `ensureChatSchema` created these tables before this migration could be
 * registered (migrations are consecutive and 6 landed later).
 */
export const migration007: Migration = {
  version: 7,
  name: 'chat',
  up: `
    CREATE TABLE IF NOT EXISTS conversations (
      id         INTEGER PRIMARY KEY,
      track_id   INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
      title      TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS conversations_track ON conversations(track_id, updated_at);

    CREATE TABLE IF NOT EXISTS chat_messages (
      id              INTEGER PRIMARY KEY,
      conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      role            TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
      text            TEXT NOT NULL,
      citations       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(citations)),
      meta            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
      created_at      INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS chat_messages_conversation ON chat_messages(conversation_id, id);
  `,
};

import type { Citation } from '../chat/types.ts';
import { statementCache, type Db } from './db.ts';
import { migration007 } from './migrations/007_chat.ts';

/** A chat conversation; `trackId` is set for a track-scoped chat ("ask about this song"). */
export interface Conversation {
  id: number;
  trackId: number | null;
  title: string;
  createdAt: number;
  updatedAt: number;
}

export interface ChatMessage {
  id: number;
  conversationId: number;
  role: 'user' | 'assistant';
  text: string;
  citations: Citation[];
  /** For assistant messages: intent, source (parser/model), notices, suggestions. */
  meta: Record<string, unknown>;
  createdAt: number;
}

interface ConversationRow {
  id: number;
  track_id: number | null;
  title: string;
  created_at: number;
  updated_at: number;
}
interface MessageRow {
  id: number;
  conversation_id: number;
  role: 'user' | 'assistant';
  text: string;
  citations: string;
  meta: string;
  created_at: number;
}

const toConversation = (r: ConversationRow): Conversation => ({ id: r.id, trackId: r.track_id, title: r.title, createdAt: r.created_at, updatedAt: r.updated_at });
const toMessage = (r: MessageRow): ChatMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  role: r.role,
  text: r.text,
  citations: JSON.parse(r.citations) as Citation[],
  meta: JSON.parse(r.meta) as Record<string, unknown>,
  createdAt: r.created_at,
});

/**
 * Creates the chat tables on a connection that was not migrated to version 7 (a no-op once they
 * exist). Chat was written before migration 6 was registered, so databases may hold tables made
 * here; migration 7 uses IF NOT EXISTS and runs cleanly over them.
 */
export function ensureChatSchema(db: Db): void {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chat_messages'").get();
  if (!has) db.transaction(() => db.exec(migration007.up))();
}

/** Typed access to `conversations` and `chat_messages` (migration 7). */
export class ConversationsRepo {
  private readonly q: ReturnType<typeof statementCache>;
  constructor(db: Db) {
    ensureChatSchema(db);
    this.q = statementCache(db);
  }

  create(title: string, trackId: number | null = null, now = Date.now()): Conversation {
    const id = Number(this.q('INSERT INTO conversations (track_id, title, created_at, updated_at) VALUES (?, ?, ?, ?)').run(trackId, title.slice(0, 200), now, now).lastInsertRowid);
    return this.byId(id)!;
  }

  byId(id: number): Conversation | undefined {
    const r = this.q('SELECT * FROM conversations WHERE id = ?').get(id) as ConversationRow | undefined;
    return r && toConversation(r);
  }

  /** Newest first; only those about one track when `trackId` is given. */
  list(opts: { trackId?: number; limit?: number } = {}): Conversation[] {
    const limit = Math.max(1, Math.min(1000, opts.limit ?? 100));
    const rows =
      opts.trackId === undefined
        ? this.q('SELECT * FROM conversations ORDER BY updated_at DESC, id DESC LIMIT ?').all(limit)
        : this.q('SELECT * FROM conversations WHERE track_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?').all(opts.trackId, limit);
    return (rows as ConversationRow[]).map(toConversation);
  }

  addMessage(conversationId: number, role: 'user' | 'assistant', text: string, citations: Citation[] = [], meta: Record<string, unknown> = {}, now = Date.now()): ChatMessage {
    const id = Number(
      this.q('INSERT INTO chat_messages (conversation_id, role, text, citations, meta, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(conversationId, role, text, JSON.stringify(citations), JSON.stringify(meta), now).lastInsertRowid,
    );
    this.q('UPDATE conversations SET updated_at = ? WHERE id = ?').run(now, conversationId);
    return toMessage(this.q('SELECT * FROM chat_messages WHERE id = ?').get(id) as MessageRow);
  }

  /** Messages in order (the last `limit` when given). */
  messages(conversationId: number, limit?: number): ChatMessage[] {
    const rows = limit
      ? (this.q('SELECT * FROM (SELECT * FROM chat_messages WHERE conversation_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id').all(conversationId, limit) as MessageRow[])
      : (this.q('SELECT * FROM chat_messages WHERE conversation_id = ? ORDER BY id').all(conversationId) as MessageRow[]);
    return rows.map(toMessage);
  }

  remove(id: number): boolean {
    return this.q('DELETE FROM conversations WHERE id = ?').run(id).changes > 0;
  }
}

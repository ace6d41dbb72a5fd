// The chat (app/chat) as the service offers it: questions in, answers with citations out, and the
// stored conversations shaped for display. Chat errors become service errors with clear codes.
import type { Store } from '../store/index.ts';
import { ChatError, ChatService } from '../chat/service.ts';
import type { LlmConfig } from '../chat/llm.ts';
import type { ChatMessage, Conversation } from '../store/conversations.ts';
import type { ChatMessageView, ConversationView, ServiceMethods } from './api.ts';
import { ServiceError } from './errors.ts';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export const conversationView = (c: Conversation): ConversationView => ({ id: c.id, trackId: c.trackId, title: c.title, updatedAt: c.updatedAt });

export function messageView(m: ChatMessage): ChatMessageView {
  const source = m.meta.source === 'model' || m.meta.source === 'parser' ? m.meta.source : undefined;
  return {
    id: m.id,
    role: m.role,
    text: m.text,
    citations: m.citations.map((c) => ({ trackId: c.trackId, title: c.title, start: c.start, end: c.end, what: c.what })),
    ...(source ? { source } : {}),
    notices: strings(m.meta.notices),
    suggestions: strings(m.meta.suggestions),
    createdAt: m.createdAt,
  };
}

const optionalId = (v: unknown, name: string): number | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ServiceError('BAD_ARGS', `${name} must be a positive whole number`);
  return v;
};

type Args<M extends keyof ServiceMethods> = ServiceMethods[M]['args'];
type Result<M extends keyof ServiceMethods> = ServiceMethods[M]['result'];

/** The chat methods over one ChatService (a language model when `llm` is configured, else the built-in parser). */
export function chatMethods(store: Store, opts: { llm?: LlmConfig; fetch?: typeof fetch } = {}) {
  const chat = new ChatService(store, opts);
  const conversation = (id: number): Conversation => {
    const c = chat.conversations.byId(id);
    if (!c) throw new ServiceError('NOT_FOUND', `no conversation ${id}`);
    return c;
  };
  return {
    async ask(a: Args<'chat.ask'>): Promise<Result<'chat.ask'>> {
      try {
        const r = await chat.ask(a.question, { conversationId: optionalId(a.conversationId, 'conversationId'), trackId: optionalId(a.trackId, 'trackId') });
        return { conversation: conversationView(r.conversation), question: messageView(r.messages[0]), answer: messageView(r.messages[1]) };
      } catch (err) {
        if (err instanceof ChatError) throw new ServiceError(err.code === 'BAD_QUESTION' || err.code === 'SCOPE_MISMATCH' ? 'BAD_ARGS' : 'NOT_FOUND', err.message);
        throw err;
      }
    },
    conversations(a: Args<'chat.conversations'>): Result<'chat.conversations'> {
      return chat.conversations.list({ trackId: optionalId(a.trackId, 'trackId'), limit: 50 }).map(conversationView);
    },
    history(a: Args<'chat.history'>): Result<'chat.history'> {
      const id = optionalId(a.conversationId, 'conversationId');
      if (id === undefined) throw new ServiceError('BAD_ARGS', 'give the conversation id');
      const c = conversation(id);
      return { conversation: conversationView(c), messages: chat.conversations.messages(c.id).map(messageView) };
    },
  };
}

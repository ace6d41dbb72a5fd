// The chat service: one question in a conversation (new, continued, or scoped to a track) → an
// answer with citations, stored with the question in SQLite. Uses a language model when one is
// configured (falling back to the parser), else the deterministic parser.
import type { Store } from '../store/index.ts';
import { ConversationsRepo, type ChatMessage, type Conversation } from '../store/conversations.ts';
import { answerQuestion } from './answer.ts';
import { ChatLibrary } from './library.ts';
import { answerWithModel, type LlmConfig } from './llm.ts';
import type { ChatAnswer } from './types.ts';

/** Longer questions are refused: nobody types more, and it bounds the work. */
export const MAX_QUESTION_CHARS = 2000;

export class ChatError extends Error {
  override name = 'ChatError';
  constructor(
    message: string,
    readonly code: 'BAD_QUESTION' | 'NO_CONVERSATION' | 'NO_TRACK' | 'SCOPE_MISMATCH',
  ) {
    super(message);
  }
}

export interface AskOptions {
  /** Continue this conversation (its track scope applies). */
  conversationId?: number;
  /** Ask about this track ("this song"): a new conversation is scoped to it. */
  trackId?: number;
}

export interface AskResult {
  conversation: Conversation;
  answer: ChatAnswer;
  /** The stored question and answer. */
  messages: [ChatMessage, ChatMessage];
}

export class ChatService {
  readonly conversations: ConversationsRepo;
  constructor(
    private readonly store: Store,
    private readonly opts: { llm?: LlmConfig; fetch?: typeof fetch } = {},
  ) {
    this.conversations = new ConversationsRepo(store.db);
  }

  async ask(question: unknown, opts: AskOptions = {}): Promise<AskResult> {
    if (typeof question !== 'string' || !question.trim()) throw new ChatError('ask a question in words', 'BAD_QUESTION');
    if (question.length > MAX_QUESTION_CHARS) throw new ChatError(`the question is longer than ${MAX_QUESTION_CHARS} characters`, 'BAD_QUESTION');
    const lib = new ChatLibrary(this.store);

    let conversation: Conversation | undefined;
    if (opts.conversationId !== undefined) {
      conversation = this.conversations.byId(opts.conversationId);
      if (!conversation) throw new ChatError(`no conversation ${opts.conversationId}`, 'NO_CONVERSATION');
      if (opts.trackId !== undefined && conversation.trackId !== opts.trackId) throw new ChatError(`conversation ${conversation.id} is ${conversation.trackId === null ? 'not about one track' : `about track ${conversation.trackId}`}`, 'SCOPE_MISMATCH');
    }
    const scopeId = conversation?.trackId ?? opts.trackId;
    const scopeTrack = scopeId !== undefined && scopeId !== null ? lib.track(scopeId) : undefined;
    if (scopeId !== undefined && scopeId !== null && !scopeTrack) throw new ChatError(`no track ${scopeId} in the library`, 'NO_TRACK');

    const history = conversation ? this.conversations.messages(conversation.id, 20) : [];
    // "it" after an answer about one track means that track.
    const lastAnswer = [...history].reverse().find((m) => m.role === 'assistant');
    const lastIds = [...new Set((lastAnswer?.citations ?? []).map((c) => c.trackId))];
    const lastTrack = lastIds.length === 1 ? lib.track(lastIds[0]!) : undefined;
    const context = { scopeTrack, lastTrack };

    const answer = this.opts.llm
      ? await answerWithModel(lib, question, this.opts.llm, { history: history.map((m) => ({ role: m.role, text: m.text })), context, fetch: this.opts.fetch })
      : answerQuestion(lib, question, context);

    conversation ??= this.conversations.create(question.trim().replace(/\s+/g, ' ').slice(0, 80), scopeTrack?.id ?? null);
    const saved = this.store.transaction(() => {
      const q = this.conversations.addMessage(conversation!.id, 'user', question.trim());
      const a = this.conversations.addMessage(conversation!.id, 'assistant', answer.text, answer.citations, { intent: answer.intent, source: answer.source, notices: answer.notices, suggestions: answer.suggestions });
      return [q, a] as [ChatMessage, ChatMessage];
    });
    return { conversation: this.conversations.byId(conversation.id)!, answer, messages: saved };
  }
}

// The chat service on the analysed demo library: title references (fuzzy, diacritics, "this song"),
// help and not-understood replies, conversations stored with citations, the answer checker, and
// `linernotes ask`.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../app/chat/answer.ts';
import { explainTool, statsTool } from '../../app/chat/tools.ts';
import { ChatLibrary, findMentions } from '../../app/chat/library.ts';
import { ChatError, ChatService } from '../../app/chat/service.ts';
import { verifyAnswer } from '../../app/chat/verify.ts';
import { GLOSSARY } from '../../app/chat/glossary.ts';
import { openStore, type Store } from '../../app/store/index.ts';
import { ConversationsRepo, ensureChatSchema } from '../../app/store/conversations.ts';
import { migration007 } from '../../app/store/migrations/007_chat.ts';
import { migrations } from '../../app/store/migrations/index.ts';
import { migrate, schemaVersion } from '../../app/store/migrate.ts';
import { runInProcess } from '../cli/run.ts';
import { openDemoStore } from '../search/demoFixture.ts';

let store: Store;
let dataDir: string;
beforeAll(async () => {
  ({ store, dataDir } = await openDemoStore());
}, 600_000);
afterAll(() => {
  store?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const idOf = (title: string) => store.tracks.list({ status: 'present' }).find((t) => t.title === title)!.id;

describe('track references', () => {
  it('finds titles with typos, other case and diacritics, in the order mentioned; a title inside a longer one counts once', () => {
    const tracks = store.tracks.list({ status: 'present' });
    const titles = (q: string) => findMentions(q, tracks).map((m) => m.track.title);
    expect(titles('how fast is síerra níghts')).toEqual(['Sierra Nights']);
    expect(titles('what key is Night Fery in')).toEqual(['Night Ferry']);
    expect(titles('tell me about rear view')).toEqual(['Rearview']);
    expect(titles('is COLD HARBOUR slower than open road')).toEqual(['Cold Harbour', 'Open Road']);
    expect(titles('what is modal interchange')).toEqual([]);
  });

  it('"this song" in a track-scoped chat and "it" after an answer about one track', async () => {
    const chat = new ChatService(store);
    const first = await chat.ask('what key is this song in?', { trackId: idOf('Night Ferry') });
    expect(first.answer.text).toContain('E minor');
    expect(first.conversation.trackId).toBe(idOf('Night Ferry'));
    const next = await chat.ask('and how fast is it?', { conversationId: first.conversation.id });
    expect(next.answer.intent).toBe('track-tempo');
    expect(next.answer.text).toMatch(/“Night Ferry” runs at 90/);

    const free = await chat.ask('what key is Blue Corner in');
    const follow = await chat.ask('is it in 3/4?', { conversationId: free.conversation.id });
    expect(follow.answer.text).toMatch(/^No: “Blue Corner” is in 4\/4/);
    expect(free.conversation.trackId).toBeNull();
  });
});

describe('answers', () => {
  const lib = () => new ChatLibrary(store);

  it('cites moments: the key change of Higher Still near 0:24, the chorus of Four on the Floor with its chords', () => {
    const a = answerQuestion(lib(), 'where does Higher Still modulate?');
    expect(a.citations.some((c) => c.title === 'Higher Still' && Math.abs((c.start ?? -9) - 24) < 2)).toBe(true);
    const b = answerQuestion(lib(), 'chords in the chorus of four on the floor');
    expect(b.text).toMatch(/D – A – Bm – G/);
    expect(b.citations.every((c) => c.start !== undefined && c.end! > c.start)).toBe(true);
  });

  it('does not understand gibberish and says what it can do, with suggestions from the library', () => {
    const a = answerQuestion(lib(), 'purple monkey dishwasher');
    expect(a.intent).toBe('unknown');
    expect(a.text).toMatch(/did not understand/);
    expect(a.suggestions.length).toBeGreaterThanOrEqual(5);
    expect(a.suggestions.some((s) => /Night Ferry|Sierra Nights|Open Road/.test(s))).toBe(true);
    expect(answerQuestion(lib(), 'help').intent).toBe('help');
    const half = answerQuestion(lib(), 'Night Ferry banana');
    expect(half.intent).toBe('unknown');
    expect(half.text).toContain('Night Ferry');
  });

  it('every glossary term is explained; device terms are illustrated only by tracks that have them', () => {
    for (const t of GLOSSARY) {
      const r = explainTool(lib(), { concept: t.name });
      expect(r.ok, t.name).toBe(true);
    }
    const r = explainTool(lib(), { concept: 'secondary dominants' });
    expect(new Set(r.citations.map((c) => c.title))).toEqual(new Set(['Second Wind', 'Blue Corner', 'Malt Shop Moon']));
    expect(r.citations.every((c) => c.start !== undefined)).toBe(true);
    expect(explainTool(lib(), { concept: 'zorblax' }).ok).toBe(false);
  });

  it('statistics: counts by meter and the tempo range', () => {
    expect(statsTool(lib(), { measure: 'meter' }).text).toMatch(/most common meter is 4\/4 \(10 of 12/);
    expect(answerQuestion(lib(), 'what is the average tempo').text).toMatch(/slowest is “Malt Shop Moon” \(70 BPM\), the fastest “Blue Corner”/);
  });

  it('makes a playlist that the playlists table keeps (a live search)', () => {
    const a = answerQuestion(lib(), 'create a playlist of waltzes');
    expect(a.intent).toBe('playlist');
    expect(a.citations.map((c) => c.title)).toEqual(['Waltz of the Lanterns']);
    const row = store.db.prepare('SELECT name, query FROM playlists WHERE name = ?').get('Waltzes') as { name: string; query: string };
    expect(row.query).toBe('waltzes');
  });
});

describe('conversations in SQLite', () => {
  it('stores questions and answers with citations; bad input is refused with a clear error', async () => {
    const chat = new ChatService(store);
    const r = await chat.ask('compare Rearview and Borrowed Light');
    const msgs = chat.conversations.messages(r.conversation.id);
    expect(msgs.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(msgs[1]!.citations.map((c) => c.title).sort()).toEqual(['Borrowed Light', 'Rearview']);
    expect(msgs[1]!.meta).toMatchObject({ intent: 'compare', source: 'parser' });
    await expect(chat.ask('   ')).rejects.toThrow(ChatError);
    await expect(chat.ask('x'.repeat(3000))).rejects.toThrow(/longer than/);
    await expect(chat.ask('hi', { conversationId: 99999 })).rejects.toThrow(/no conversation/);
    await expect(chat.ask('hi', { trackId: 99999 })).rejects.toThrow(/no track/);
    await expect(chat.ask('hi', { conversationId: r.conversation.id, trackId: idOf('Rearview') })).rejects.toThrow(/not about one track/);
    expect(chat.conversations.list().length).toBeGreaterThan(0);
  });

  it('migration 007 runs over tables made by ensureChatSchema, and deleting a conversation deletes its messages', () => {
    // A database at version 6 whose chat tables were made by ensureChatSchema (before 7 was registered).
    const s = openStore(':memory:');
    expect(schemaVersion(s.db)).toBe(migrations.length);
    s.db.exec('DROP TABLE chat_messages; DROP TABLE conversations;');
    s.db.pragma('user_version = 6');
    ensureChatSchema(s.db);
    ensureChatSchema(s.db);
    expect(migrate(s.db, migrations, 7)).toBe(7);
    expect(migrations[6]).toBe(migration007);
    const repo = new ConversationsRepo(s.db);
    const c = repo.create('about nothing');
    repo.addMessage(c.id, 'assistant', 'hello', [{ trackId: 1, title: 'X', start: 1, end: 2 }], { source: 'parser' });
    expect(repo.messages(c.id)[0]!.citations[0]).toEqual({ trackId: 1, title: 'X', start: 1, end: 2 });
    expect(repo.remove(c.id)).toBe(true);
    expect(repo.messages(c.id)).toEqual([]);
    s.close();
  });
});

describe('checking a model answer', () => {
  it('marks numbers, keys, meters, times and titles that no source holds; keeps what a source holds', () => {
    const sources = ['{"bpm":89.96,"key":"E minor","meter":"4/4","start":21.34,"title":"Night Ferry","valence":0.16}'];
    const v = verifyAnswer('Night Ferry is in E minor at 90 BPM in 4/4, changing at 0:21; valence 16 %.', sources, ['Night Ferry', 'Cold Harbour']);
    expect(v.unverified).toEqual([]);
    const w = verifyAnswer('“Blue Moon” and Cold Harbour are in G major, 6/8, at 1:45 and 133 BPM.', sources, ['Night Ferry', 'Cold Harbour']);
    expect(w.text).toBe('[unverified: “Blue Moon”] and [unverified: Cold Harbour] are in [unverified: G major], [unverified: 6/8], at [unverified: 1:45] and [unverified: 133 BPM].');
  });
});

describe('linernotes ask', () => {
  it('answers with sources; --json gives the answer, citations and conversation; --track scopes it; bad ids are usage errors', async () => {
    const openRoad = idOf('Open Road');
    store.close();
    try {
      const r = await runInProcess(['--data-dir', dataDir, 'ask', 'what key is Sierra Nights in']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/“Sierra Nights” is in A minor/);
      expect(r.stdout).toMatch(/sources:\n {2}\[#\d+\] Sierra Nights/);
      const j = await runInProcess(['--data-dir', dataDir, 'ask', 'how fast is this song', '--track', String(openRoad), '--json']);
      expect(j.code).toBe(0);
      const data = JSON.parse(j.stdout) as { conversationId: number; trackId: number; text: string; citations: { title: string }[]; source: string };
      expect(data.text).toMatch(/100 BPM/);
      expect(data.citations[0]!.title).toBe('Open Road');
      expect(data.source).toBe('parser');
      const k = await runInProcess(['--data-dir', dataDir, 'ask', 'is it in 3/4?', '--conversation', String(data.conversationId), '--json']);
      expect((JSON.parse(k.stdout) as { text: string }).text).toMatch(/^No: “Open Road” is in 4\/4/);
      const bad = await runInProcess(['--data-dir', dataDir, 'ask', 'hi', '--track', 'abc']);
      expect(bad.code).toBe(2);
      const gone = await runInProcess(['--data-dir', dataDir, 'ask', 'hi', '--conversation', '424242']);
      expect(gone.code).toBe(2);
      expect(gone.stderr).toMatch(/no conversation 424242/);
    } finally {
      store = openStore(dataDir);
    }
  });
});

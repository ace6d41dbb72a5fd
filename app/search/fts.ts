// Building FTS5 MATCH strings from user words without ever passing FTS syntax through: each word
// is reduced to its letters and digits and double-quoted (FTS5 "string"), so AND/OR/NOT/NEAR, *, ^,
// ( ) and : typed by a user are plain text. Prefix search: a trailing * after the closing quote.

/** The letter and digit runs of a text (what the unicode61 tokenizer indexes), lower-cased. */
export function ftsWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A prefix term or phrase: "neon" "harbor"* — null when the text has no letters or digits. */
export function ftsPhrase(text: string, prefix = true): string | null {
  const words = ftsWords(text);
  if (words.length === 0) return null;
  return `"${words.join(' ')}"${prefix ? '*' : ''}`;
}

/** Restricts a phrase to one column: `artist : "neon harbor"*`. */
export function ftsColumn(column: string, text: string): string | null {
  const p = ftsPhrase(text);
  return p === null ? null : `${column} : ${p}`;
}

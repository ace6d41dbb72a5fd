// Separating a reasoning model's thinking from its answer: a `reasoning_content` (vLLM's reasoning
// parsers, llama-server) or `reasoning` field, or <think>…</think> inline in the text (the
// Qwen-style chat template Music Flamingo's -think variant uses).

export interface SplitReply {
  answer: string;
  reasoning: string | null;
}

/** Splits `content` into answer and reasoning; a separate reasoning field wins and is joined with any inline one. */
export function splitReasoning(content: string, reasoningField?: string | null): SplitReply {
  const parts: string[] = [];
  if (reasoningField && reasoningField.trim()) parts.push(reasoningField.trim());
  let answer = content;
  // Closed blocks anywhere.
  answer = answer.replace(/<think>([\s\S]*?)<\/think>/gi, (_, inner: string) => {
    if (inner.trim()) parts.push(inner.trim());
    return '';
  });
  // A template that opens <think> in the prompt leaves only the closing tag in the reply.
  const close = answer.search(/<\/think>/i);
  if (close >= 0) {
    const inner = answer.slice(0, close).trim();
    if (inner) parts.push(inner);
    answer = answer.slice(close).replace(/<\/think>/i, '');
  }
  // An unclosed <think> (cut off by the token limit): everything after it is reasoning.
  const open = answer.search(/<think>/i);
  if (open >= 0) {
    const inner = answer.slice(open + '<think>'.length).trim();
    if (inner) parts.push(inner);
    answer = answer.slice(0, open);
  }
  return { answer: answer.trim(), reasoning: parts.length ? parts.join('\n\n') : null };
}

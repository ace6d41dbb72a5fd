/** TypeScript ports of the mir_eval metrics the accuracy bench scores with (see each module). */
export * from './util.ts';
export * from './chord.ts';
export * from './key.ts';
export * from './beat.ts';
export * from './tempo.ts';
export * from './segment.ts';

// GRAMMAR.md stays true: every phrase of the vocabulary is listed there, and parses to what it says.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../app/search/parse.ts';
import { DESCRIPTOR_PHRASES, DEVICE_PHRASES, METER_PHRASES, SECTION_PHRASES, TEMPO_PHRASES } from '../../app/search/vocabulary.ts';

const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../app/search/GRAMMAR.md'), 'utf8');

const all: [string, string][] = [
  ...Object.entries(DEVICE_PHRASES).flatMap(([k, ps]) => ps.map((p): [string, string] => [p, `device:${k}`])),
  ...Object.entries(SECTION_PHRASES).flatMap(([k, ps]) => ps.map((p): [string, string] => [p, `section:${k}`])),
  ...DESCRIPTOR_PHRASES.flatMap((d) => d.phrases.map((p): [string, string] => [p, `descriptor:${d.descriptor}`])),
  ...TEMPO_PHRASES.flatMap((t) => t.phrases.map((p): [string, string] => [p, 'tempo'])),
  ...METER_PHRASES.flatMap((m) => m.phrases.map((p): [string, string] => [p, 'meter'])),
];

describe('GRAMMAR.md and the vocabulary', () => {
  it.each(all)('%s is documented and parses to %s', (phrase, what) => {
    expect(doc).toContain(`\`${phrase}\``);
    const clauses = parseQuery(phrase).clauses;
    expect(clauses).toHaveLength(1);
    const c = clauses[0]!;
    const got = c.kind === 'device' ? `device:${c.concept}` : c.kind === 'section' ? `section:${c.section}` : c.kind === 'descriptor' ? `descriptor:${c.descriptor}` : c.kind;
    expect(got).toBe(what);
  });
});

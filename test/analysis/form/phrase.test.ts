import { describe, expect, it } from 'vitest';
import { formPhrase } from '../../../app/analysis/form/phrase.ts';

describe('formPhrase', () => {
  it('tells a song form as it is, consecutive repeats collapsed', () => {
    expect(formPhrase(['intro', 'verse', 'chorus', 'verse', 'chorus', 'outro'])).toBe('intro–verse–chorus–verse–chorus–outro');
    expect(formPhrase(['verse', 'verse', 'chorus', 'chorus', 'chorus', 'bridge'])).toBe('verse ×2–chorus ×3–bridge');
    expect(formPhrase([])).toBe('');
  });
  it('cuts a long list of runs and counts the sections', () => {
    const labels = Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? 'chorus' : 'verse'));
    expect(formPhrase(labels, 4)).toBe('verse ×2–chorus–verse ×2–chorus–… (30 sections)');
  });
});

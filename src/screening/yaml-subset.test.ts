import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseYamlSubset } from './yaml-subset.js';

describe('parseYamlSubset', () => {
  it('reads nested maps, lists of scalars and lists of maps, with comments and quotes', () => {
    const text = [
      'types:',
      '  # a comment',
      '  - display: ТОО',
      '    generic: LLP',
      '    aliases:',
      '      - товарищество с ограниченной ответственностью',
      '      - "Quoted # not a comment"',
      'symbols:',
      '  co:',
      '    - company # trailing comment',
      '    - компания',
    ].join('\n');
    assert.deepEqual(parseYamlSubset(text, 't.yml'), {
      types: [{ display: 'ТОО', generic: 'LLP', aliases: ['товарищество с ограниченной ответственностью', 'Quoted # not a comment'] }],
      symbols: { co: ['company', 'компания'] },
    });
  });
  it('names the file and line of a malformed document', () => {
    assert.throws(() => parseYamlSubset('a:\n  b: 1\n c\n', 'bad.yml'), /bad\.yml line 3/);
  });
});

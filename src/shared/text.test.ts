import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldMixedScript } from './text.js';

describe('foldMixedScript', () => {
  it('rewrites look-alike letters into the script most of a word is in', () => {
    assert.equal(foldMixedScript('Mойынтірек'), 'Мойынтірек', 'a Latin M in a Kazakh word');
    assert.equal(foldMixedScript('Рutin'), 'Putin', 'a Cyrillic Р in a Latin word');
    assert.equal(foldMixedScript('ООО Рrоgrеss'), 'ООО Progress', 'each word on its own');
  });
  it('leaves words in one script, and letters without a look-alike, as they are', () => {
    assert.equal(foldMixedScript('Токаев Tokayev'), 'Токаев Tokayev');
    assert.equal(foldMixedScript('Жw'), 'Жw', 'no look-alike to fold');
  });
});

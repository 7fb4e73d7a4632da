import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareNames, soundKeyRatio } from './compare.js';
import { type NameKindHint, parseName } from './name.js';
import { scoringConfig } from './scoring-config.js';
import { smallVocabulary } from './test-support.js';

const vocabulary = smallVocabulary();
const parse = (name: string, hint: NameKindHint = 'any') => parseName(name, hint, vocabulary, scoringConfig);
const score = (a: string, b: string, hint: NameKindHint = 'any') => compareNames(parse(a, hint), parse(b, hint), scoringConfig);
const threshold = scoringConfig.defaultThreshold;

describe('parseName', () => {
  it('puts "SURNAME, Given" back in given-name order', () => {
    const parsed = parse('PUTIN, Vladimir Vladimirovich', 'person');
    assert.equal(parsed.reordered, true);
    assert.deepEqual(parsed.tokens.map((t) => t.light), ['vladimir', 'vladimirovich', 'putin']);
    assert.equal(parsed.tokens[1]?.kind, 'patronymic');
  });
  it('takes legal forms off organisation names and records them', () => {
    const parsed = parse('ТОО «Элем Групп»', 'organization');
    assert.deepEqual(parsed.legalForms.map((f) => f.generic), ['LLP']);
    assert.deepEqual(parsed.tokens.map((t) => t.light), ['elem', 'grupp']);
  });
  it('keeps a legal-form word of an untyped name as a weak term', () => {
    const parsed = parse('Ао Bolat', 'any');
    assert.equal(parsed.tokens[0]?.kind, 'term');
  });
  it('drops titles in front of person names', () => {
    assert.deepEqual(parse('Dr. Ivan Petrov', 'person').tokens.map((t) => t.light), ['ivan', 'petrov']);
  });
  it('survives control characters, huge input and punctuation-only names', () => {
    assert.deepEqual(parse('\u0000Ivan\u200b Petrov\u0007').tokens.map((t) => t.light), ['ivan', 'petrov']);
    assert.ok(parse('a'.repeat(10_000)).tokens.length <= 16);
    assert.deepEqual(parse('---').tokens, []);
  });
});

describe('compareNames', () => {
  it('matches Putin in Latin, Cyrillic, German and French spellings', () => {
    for (const query of ['Vladimir Putin', 'Владимир Путин', 'Wladimir Putin', 'Vladimir Poutine']) {
      const result = score(query, 'PUTIN, Vladimir Vladimirovich', 'person');
      assert.ok(result.score >= 0.9, `${query}: ${result.score}`);
    }
  });
  it('labels how each token matched', () => {
    const result = score('Wladimir Путин', 'Vladimir Putin');
    assert.deepEqual(result.pairs.map((p) => p.method), ['phonetic', 'transliteration']);
  });
  it('matches the Tokayev spellings with each other', () => {
    const spellings = ['Kasym-Schomart Tokajew', 'Qasym-Jomart Toqaev', 'Касым-Жомарт Токаев', 'Kassym-Jomart Tokayev', 'Қасым-Жомарт Тоқаев'];
    for (const a of spellings) for (const b of spellings) assert.ok(score(a, b).score >= threshold, `${a} vs ${b}`);
  });
  it('does not count a missing patronymic as a mismatch', () => {
    assert.ok(score('Igor Sechin', 'Igor Ivanovich Sechin').score > 0.95);
    assert.ok(score('Igor Ivanovich Sechin', 'Igor Sechin').score > 0.95);
  });
  it('matches swapped given name and surname, but never at 1.0', () => {
    const swapped = score('Putin Vladimir', 'Vladimir Putin');
    assert.ok(swapped.score >= threshold && swapped.score < 1);
    assert.match(swapped.adjustments[0]?.reason ?? '', /order/);
  });
  it('accepts an initial for a given name', () => {
    assert.ok(score('V. Putin', 'Vladimir Putin').score >= threshold);
    assert.equal(score('V. Putin', 'Vladimir Putin').pairs[0]?.method, 'initial');
  });
  it('meets common Arabic name variants, also from Arabic script', () => {
    assert.ok(score('Mohammed Hussein', 'Muhammad Husayn').score >= threshold);
    assert.ok(score('محمد علي', 'Mohamed Ali').score >= threshold);
  });
  it('matches companies across legal forms written in different languages', () => {
    assert.ok(score('ТОО Элем Групп', 'Elem Group LLP', 'organization').score >= threshold);
    assert.ok(score('Sibir Logistik GmbH', 'SIBIR LOGISTICS LLC', 'organization').score >= threshold);
  });
  it('lowers the score when legal forms of different classes are named', () => {
    const result = score('Romashka LLC', 'Romashka JSC', 'organization');
    assert.ok(result.score < 1);
    assert.match(result.adjustments.map((a) => a.reason).join(), /legal forms differ/);
  });
  it('keeps different people apart', () => {
    for (const [a, b] of [['John Smith', 'Vladimir Putin'], ['Ivan Petrov', 'Igor Sechin'], ['Tarak Sem', 'Musah Tarak'], ['Anna Ivanova', 'Anna Smirnova']]) {
      assert.ok(score(a as string, b as string).score < threshold, `${a} vs ${b}`);
    }
  });
  it('caps a match carried only by particles or company terms', () => {
    assert.ok(score('bin al', 'al bin').score <= scoringConfig.weakOnlyCap);
  });
  it('scores within [0, 1] for empty names', () => {
    assert.equal(score('', 'Vladimir Putin').score, 0);
  });
  it('forgives a vowel that schemes spell differently more than a different consonant', () => {
    for (const [a, b] of [['Maclean', 'Маклин'], ['Seewald', 'Зевальд'], ['Hagney', 'Хэгни']]) {
      assert.ok(score(a as string, b as string).score >= threshold, `${a} vs ${b}: ${score(a as string, b as string).score}`);
    }
    assert.ok(score('Pingwa', 'Пинва').score < threshold, 'a consonant that is there on one side only still counts fully');
    assert.ok(soundKeyRatio('maklan', 'maklin') > soundKeyRatio('maklan', 'maklan'.replace('k', 't')));
  });
  it('sees through letters of the other script typed into a name', () => {
    assert.equal(score('Vladimir \u0420utin', 'Vladimir Putin').score, 1, 'a Cyrillic Р in a Latin surname');
  });
});

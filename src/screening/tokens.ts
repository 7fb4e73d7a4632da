import { foldMixedScript } from '../shared/text.js';
/** Characters that never belong to a name: C0/C1 controls, zero-width and bidi marks. */
const invisible = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

/** Cleans a raw name: Unicode NFKC, invisible characters removed, whitespace collapsed. */
export const cleanName = (raw: string): string => foldMixedScript(raw.normalize('NFKC').replace(invisible, ' ')).replace(/\s+/g, ' ').trim();

/**
 * Splits a name into word tokens in any script. Apostrophes inside a word are dropped (O'Brien, Mu'ammar,
 * the Ukrainian apostrophe) because schemes disagree on writing them; hyphens and other punctuation split.
 */
export const splitTokens = (raw: string): string[] =>
  cleanName(raw)
    .replace(/(\p{L})['’ʼ`ʹ](?=\p{L})/gu, '$1')
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((token) => token.length > 0);

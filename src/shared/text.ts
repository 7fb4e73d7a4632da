/** Lower-case words without diacritics, in any script: the unit of name search in listings. */
export const searchWords = (text: string): string[] =>
  text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 2);

/** Latin and Cyrillic letters that look the same; a word typed in both scripts hides from plain matching. */
const LOOKALIKES: [latin: string, cyrillic: string][] = [
  ['A', 'А'], ['B', 'В'], ['C', 'С'], ['E', 'Е'], ['H', 'Н'], ['K', 'К'], ['M', 'М'], ['O', 'О'], ['P', 'Р'], ['T', 'Т'], ['X', 'Х'], ['Y', 'У'],
  ['a', 'а'], ['c', 'с'], ['e', 'е'], ['i', 'і'], ['o', 'о'], ['p', 'р'], ['x', 'х'], ['y', 'у'],
];
const TO_CYRILLIC = new Map(LOOKALIKES.map(([latin, cyrillic]) => [latin, cyrillic]));
const TO_LATIN = new Map(LOOKALIKES.map(([latin, cyrillic]) => [cyrillic, latin]));

/**
 * Rewrites each word written in both Latin and Cyrillic letters into the script most of its letters are in,
 * replacing look-alike letters ("Mойынтірек" with a Latin M, "Рutin" with a Cyrillic Р) — by a slip of the
 * keyboard layout or on purpose, to slip past a filter.
 */
export const foldMixedScript = (text: string): string => {
  if (!/\p{Script=Cyrillic}/u.test(text) || !/\p{Script=Latin}/u.test(text)) return text;
  return text.replace(/[\p{L}\p{M}]+/gu, (word) => {
    const latin = (word.match(/\p{Script=Latin}/gu) ?? []).length;
    const cyrillic = (word.match(/\p{Script=Cyrillic}/gu) ?? []).length;
    if (latin === 0 || cyrillic === 0) return word;
    const table = cyrillic >= latin ? TO_CYRILLIC : TO_LATIN;
    return [...word].map((letter) => table.get(letter) ?? letter).join('');
  });
};

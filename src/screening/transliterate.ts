import anyAscii from 'any-ascii';

/** The writing system a token is in; decides how it is romanised and how a match is labelled. */
export type Script = 'latin' | 'cyrillic' | 'arabic' | 'hebrew' | 'greek' | 'cjk' | 'other';

export const scriptOf = (token: string): Script => {
  if (/\p{Script=Cyrillic}/u.test(token)) return 'cyrillic';
  if (/\p{Script=Arabic}/u.test(token)) return 'arabic';
  if (/\p{Script=Hebrew}/u.test(token)) return 'hebrew';
  if (/\p{Script=Greek}/u.test(token)) return 'greek';
  if (/[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(token)) return 'cjk';
  if (/\p{Script=Latin}/u.test(token)) return 'latin';
  return 'other';
};

/** Scripts written without short vowels: only their consonant outline can be compared with a Latin spelling. */
export const isAbjad = (script: Script): boolean => script === 'arabic' || script === 'hebrew';

// One reading of Cyrillic (BGN/PCGN-like, with the Kazakh, Kyrgyz, Ukrainian and Belarusian letters).
// Every other scheme (ICAO, GOST, ISO 9, German, French, Kazakh Latin) meets it in the skeleton below.
const cyrillic: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l',
  м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', є: 'ye', і: 'i', ї: 'yi', ґ: 'g', ў: 'u',
  ә: 'a', ғ: 'gh', қ: 'q', ң: 'n', ө: 'o', ұ: 'u', ү: 'u', һ: 'h', ј: 'j', љ: 'lj', њ: 'nj', ђ: 'dj', ћ: 'c',
  џ: 'dzh', ѕ: 'dz',
};
const ukrainianOnly = /[іїєґ]/u;

// Latin letters whose diacritic carries a sound (ISO 9, GOST, Czech/Polish/Turkish spellings of Slavic names;
// ISO 9 writes ю and я as û and â).
const latinSpecial: Record<string, string> = {
  ž: 'zh', č: 'ch', š: 'sh', ŝ: 'shch', ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'dj', ı: 'i', ð: 'd',
  þ: 'th', ĳ: 'ij', û: 'yu', â: 'ya', ǆ: 'dzh', ǯ: 'zh', ʹ: '', ʺ: '', '′': '', '″': '',
};

/** Lower-case ASCII letters and digits of one token, romanised from any script. */
export const romanise = (token: string): string => {
  const lower = token.normalize('NFKC').toLowerCase();
  const script = scriptOf(lower);
  let out = '';
  if (script === 'cyrillic') {
    const ukrainian = ukrainianOnly.test(lower);
    for (const ch of lower) {
      // Ukrainian reads г as "h" and и as "y" (Hryhoriy, Volodymyr).
      if (ukrainian && ch === 'г') out += 'h';
      else if (ukrainian && ch === 'и') out += 'y';
      else out += cyrillic[ch] ?? ch;
    }
  } else {
    for (const ch of lower) out += latinSpecial[ch] ?? ch;
  }
  return anyAscii(out.normalize('NFKD').replace(/\p{M}+/gu, ''))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
};

// Rewrite rules from spellings to sound classes. Digits stand for classes Latin has no single letter for:
// 1 = ш/щ, 2 = ж/dzh, 3 = ч, 4 = ц. "z" is "s" or ц because German writes з as "s" and ц as "z". Ambiguous spellings branch (German "sch" is ш or ж, "ch" is ч in
// English, х in German, ш in French; "j" is ж in French and Kazakh Latin, й in German and ISO).
const rules: [string, string[]][] = [
  ['schtsch', ['1']], ['shtsch', ['1']], ['shch', ['1']], ['chtch', ['1']], ['shh', ['1']],
  ['tsch', ['3', 't1']], ['dsch', ['2']], ['dzh', ['2']], ['dz', ['ds', '2']], ['sch', ['1', '2']], ['tch', ['3']],
  ['zh', ['2']], ['dj', ['2']], ['kh', ['h']], ['ch', ['3', 'h', '1']], ['sh', ['1']], ['cz', ['4']],
  ['ts', ['4']], ['tz', ['4']], ['th', ['t']], ['ph', ['f']], ['gh', ['g']], ['dh', ['d']], ['ck', ['k']],
  // ё is "e" in most official spellings but "jo"/"yo"/"io" in German, GOST and speech (Artjom, Artyom, Artem).
  ['jo', ['2u', 'iu', 'a']], ['yo', ['iu', 'a']],
  ['gue', ['ge']], ['gui', ['gi']], ['ou', ['u']], ['oo', ['u']], ['ee', ['i']], ['ce', ['4e', 'se']], ['ci', ['4i', 'si']], ['cy', ['4i', 'si']],
  ['c', ['k', '4']], ['q', ['k']], ['w', ['v']], ['x', ['ks', 'h']], ['j', ['2', 'i']], ['y', ['i']], ['z', ['s', '4']],
];
const maxRule = Math.max(...rules.map(([pattern]) => pattern.length));
const ruleMap = new Map(rules);
const MAX_VARIANTS = 8;
const vowels = /[aeiou]/;

const expand = (light: string): string[] => {
  let outputs = [''];
  let i = 0;
  while (i < light.length) {
    let matched: string[] | undefined;
    let length = 1;
    for (let len = Math.min(maxRule, light.length - i); len >= 1; len--) {
      const found = ruleMap.get(light.slice(i, i + len));
      if (found) {
        matched = found;
        length = len;
        break;
      }
    }
    const options = matched ?? [light[i] as string];
    if (options.length === 1) outputs = outputs.map((o) => o + options[0]);
    else {
      const next: string[] = [];
      for (const option of options) for (const o of outputs) if (next.length < MAX_VARIANTS) next.push(o + option);
      outputs = next;
    }
    i += length;
  }
  return outputs;
};

const foldVowels = (s: string): string => {
  let t = s;
  // A silent final "e" after a consonant (French "Poutine", "Tokaieve") carries no sound.
  if (t.length > 4 && t.endsWith('e') && !vowels.test(t[t.length - 2] as string)) t = t.slice(0, -1);
  // "Ye-"/"Ie-" and "e" are one sound at the start of Slavic names (Yevgeny, Evgeny).
  if (t.startsWith('ie')) t = t.slice(1);
  // An "i"/"y" glide between vowels is written or dropped by scheme (Tokayev, Tokaev, Sergeyev).
  t = t.replace(/([aeiou])i(?=[aeiou])/g, '$1');
  t = t.replace(/[e]/g, 'a').replace(/[o]/g, 'u');
  // Doubled letters are spelling, not sound (Kassym/Kasym, Mohammed/Mohamed).
  return t.replace(/(.)\1+/g, '$1');
};

/** Sound-class keys of a romanised token: any two spellings of one name should share at least one. */
export const skeletons = (light: string): string[] => {
  if (light.length === 0) return [];
  if (/^\d+$/.test(light)) return [light];
  const keys = new Set<string>();
  for (const variant of expand(light)) keys.add(foldVowels(variant));
  return [...keys];
};

/** The consonant outline of a key: the only part an Arabic or Hebrew spelling shares with a Latin one. */
// "v" goes too: Arabic و and Hebrew ו are written "w" for a long "u" as often as for a consonant.
export const consonants = (key: string): string => key.replace(/[aeiouv]/g, '').replace(/(.)\1+/g, '$1');

/**
 * Cyrillic→Latin tables of the schemes people use, for building evaluation queries from the lists' own
 * Cyrillic names (the matcher itself never uses these: it must meet every scheme through its skeleton).
 * Letters not listed fall back to the ICAO table.
 */
const icao: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: 'ie', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia', і: 'i', ї: 'i', є: 'ie', ґ: 'g', ә: 'a', ғ: 'g', қ: 'k',
  ң: 'n', ө: 'o', ұ: 'u', ү: 'u', һ: 'h', ў: 'u',
};

export const evaluationSchemes: Record<string, Record<string, string>> = {
  icao,
  'gost-7.79-b': { ...icao, й: 'j', х: 'x', ц: 'cz', щ: 'shh', ъ: '', ы: 'y', э: 'e', ю: 'yu', я: 'ya', ё: 'yo' },
  'iso-9': { ...icao, ж: 'ž', й: 'j', х: 'h', ц: 'c', ч: 'č', ш: 'š', щ: 'ŝ', ю: 'û', я: 'â', ъ: '', ё: 'ë', э: 'è' },
  german: { ...icao, в: 'w', ж: 'sch', з: 's', й: 'j', х: 'ch', ц: 'z', ч: 'tsch', ш: 'sch', щ: 'schtsch', ю: 'ju', я: 'ja', ъ: '', е: 'e', ы: 'y', ё: 'jo', с: 's' },
  french: { ...icao, ж: 'j', й: 'ï', х: 'kh', ц: 'ts', ч: 'tch', ш: 'ch', щ: 'chtch', у: 'ou', ю: 'iou', я: 'ia', ъ: '', ы: 'y', ё: 'io' },
  'kazakh-latin': { ...icao, ж: 'j', й: 'i', қ: 'q', ғ: 'ğ', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', ю: 'iu', я: 'ia', ы: 'y', ә: 'ä', ө: 'ö', ү: 'ü', ұ: 'ū', ң: 'ñ' },
};

export const transliterateWith = (scheme: Record<string, string>, text: string): string => {
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const mapped = scheme[lower] ?? icao[lower];
    if (mapped === undefined) out += ch;
    else out += ch === lower ? mapped : mapped.charAt(0).toUpperCase() + mapped.slice(1);
  }
  return out;
};

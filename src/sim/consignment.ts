import type { DeclarationInput } from '../movements/declaration.js';
import type { Nomenclature } from '../goods/nomenclature.js';
import type { Random } from './random.js';

/**
 * Goods lorries carry through Kazakhstan, by HS chapter, roughly in proportion to the China–Europe/Central
 * Asia road trade: machinery and electronics, vehicles and parts, clothing and footwear, plastics, metal
 * goods, furniture, toys, fruit and vegetables.
 */
const CHAPTER_WEIGHTS: readonly (readonly [string, number])[] = [
  ['84', 14], ['85', 14], ['87', 7], ['61', 5], ['62', 5], ['64', 4], ['39', 6], ['73', 6], ['94', 5], ['95', 3],
  ['40', 3], ['08', 4], ['07', 3], ['72', 3], ['76', 2], ['90', 3], ['42', 2], ['63', 2], ['69', 2], ['70', 2],
  ['48', 2], ['33', 2], ['30', 2], ['20', 2], ['22', 1], ['52', 1], ['54', 1], ['83', 1],
];

export interface GoodsCatalogue {
  byChapter: Map<string, { code: string; description: string }[]>;
}

export const goodsCatalogue = (nomenclature: Nomenclature): GoodsCatalogue => {
  const byChapter = new Map<string, { code: string; description: string }[]>();
  for (const entry of nomenclature.entries()) {
    if (entry.level !== 6) continue;
    const chapter = entry.code.slice(0, 2);
    if (!CHAPTER_WEIGHTS.some(([c]) => c === chapter)) continue;
    const list = byChapter.get(chapter) ?? [];
    list.push({ code: entry.code, description: entry.description.slice(0, 500) });
    byChapter.set(chapter, list);
  }
  return { byChapter };
};

const COMPANY_WORDS: Record<string, { forms: string[]; words: string[]; cities: string[] }> = {
  CN: { forms: ['Co., Ltd.', 'Trading Co., Ltd.', 'Import & Export Co., Ltd.'], words: ['Huaxin', 'Jinlong', 'Tianshan', 'Xinjiang Silk Road', 'Yiwu Hengda', 'Shenzhen Ruifeng', 'Guangzhou Baiyun', 'Ningbo Haitian', 'Urumqi Zhongya', 'Horgos Jiahe', 'Chongqing Liyuan', 'Xi\'an Changan'], cities: ['Urumqi', 'Yiwu', 'Shenzhen', 'Guangzhou', 'Xi\'an', 'Chongqing', 'Horgos'] },
  RU: { forms: ['OOO', 'AO'], words: ['Uralsnab', 'Volga Trade', 'SibLogistik', 'Orenburg Agro', 'TransKom', 'Yuzhny Kontinent', 'Avangard', 'Severny Put', 'MetallTorg', 'Kaspiy Servis'], cities: ['Moscow', 'Orenburg', 'Yekaterinburg', 'Omsk', 'Novosibirsk', 'Astrakhan', 'Chelyabinsk'] },
  UZ: { forms: ['MChJ', 'OOO'], words: ['Toshkent Savdo', 'Samarkand Textile', 'Fergana Agro', 'Navoi Trans', 'Buxoro Invest', 'Chirchiq Kimyo'], cities: ['Tashkent', 'Samarkand', 'Fergana', 'Namangan'] },
  KG: { forms: ['OsOO', 'ZAO'], words: ['Ala-Too Trade', 'Dordoi Market Service', 'Issyk-Kul Logistic', 'Bishkek Import', 'Tien-Shan Group'], cities: ['Bishkek', 'Osh', 'Kara-Balta'] },
  KZ: { forms: ['TOO', 'AO'], words: ['Zhetysu Logistics', 'Saryarka Trans', 'Kaspiy Cargo', 'Altyn Dala', 'Astana Motors Trade', 'Ertis Agro', 'Kazakh Silk Way', 'Ulytau Steel', 'Shymkent Trade House', 'Aktobe Metall'], cities: ['Almaty', 'Astana', 'Shymkent', 'Aktobe', 'Karaganda', 'Pavlodar'] },
  TM: { forms: ['HJ'], words: ['Turkmen Nebit Trade', 'Ashgabat Tekstil', 'Balkan Logistika'], cities: ['Ashgabat', 'Turkmenbashi'] },
  AZ: { forms: ['MMC'], words: ['Caspian Bridge', 'Baku Transit', 'Absheron Logistics'], cities: ['Baku', 'Sumgait'] },
  TJ: { forms: ['JSC'], words: ['Dushanbe Savdo', 'Pamir Trans'], cities: ['Dushanbe', 'Khujand'] },
  AF: { forms: ['Ltd.'], words: ['Balkh Trading', 'Hairatan Cargo'], cities: ['Mazar-i-Sharif'] },
};

const digits = (random: Random, n: number): string => Array.from({ length: n }, () => String(random.int(0, 9))).join('');
const letters = (random: Random, n: number): string =>
  Array.from({ length: n }, () => String.fromCharCode(65 + random.int(0, 25))).join('');

const party = (random: Random, country: string) => {
  const pool = COMPANY_WORDS[country] ?? COMPANY_WORDS.KZ!;
  const word = random.pick(pool.words);
  const form = random.pick(pool.forms);
  const name = form.length <= 4 && form === form.toUpperCase() && country !== 'CN' ? `${form} ${word}` : `${word} ${form}`;
  return {
    name,
    identificationNumber: country === 'KZ' ? digits(random, 12) : `${country}${digits(random, 10)}`,
    address: { street: `${random.pick(['Main', 'Industrial', 'Station', 'Trade', 'Central', 'Ring'])} Street ${random.int(1, 250)}`, city: random.pick(pool.cities), country },
  };
};

/** ISO 6346 container number with its check digit, so container identifiers look and validate like real ones. */
export const containerNumber = (random: Random): string => {
  const owner = `${random.pick(['MSK', 'CSQ', 'TGH', 'CAI', 'TCL', 'OOL', 'KZT', 'FES'])}U`;
  const serial = digits(random, 6);
  const value = (c: string): number => {
    if (/\d/.test(c)) return Number(c);
    const n = c.charCodeAt(0) - 55;
    return n + Math.floor((n - 1) / 10);
  };
  const sum = [...owner, ...serial].reduce((total, c, i) => total + value(c) * 2 ** i, 0);
  return `${owner}${serial}${(sum % 11) % 10}`;
};

const plate = (random: Random, country: string): string => {
  switch (country) {
    case 'KZ':
      return `${digits(random, 3)}${letters(random, 3)}${random.pick(['01', '02', '05', '09', '13', '17'])}`;
    case 'RU':
      return `${letters(random, 1)}${digits(random, 3)}${letters(random, 2)}${random.pick(['56', '74', '77', '55', '30', '64'])}`;
    case 'CN':
      return `XJ${letters(random, 1)}${digits(random, 5)}`;
    case 'UZ':
      return `${random.pick(['01', '10', '30'])}${letters(random, 1)}${digits(random, 3)}${letters(random, 2)}`;
    case 'KG':
      return `${random.pick(['01', '02'])}KG${digits(random, 3)}${letters(random, 3)}`;
    default:
      return `${country}${digits(random, 5)}`;
  }
};

export interface ConsignmentInput {
  lrn: string;
  deviceIds: string[];
  officeOfDeparture: string;
  officesOfTransit: string[];
  officesOfExit: string[];
  officeOfDestination: string;
  countriesOfRouting: string[];
  limitDate: string;
  originCountry: string;
  destinationCountry: string;
}

/** A declaration in the contract's shape (declaration.example.json) for one lorry. */
export const buildDeclaration = (random: Random, goods: GoodsCatalogue, input: ConsignmentInput): DeclarationInput => {
  const carrierCountry = random.weighted([[input.originCountry, 3], ['KZ', 3], [input.destinationCountry, 1]] as const);
  const consignor = party(random, input.originCountry);
  const consignee = party(random, input.destinationCountry);
  const carrier = party(random, carrierCountry);
  const holder = random.chance(0.6) ? carrier : party(random, 'KZ');
  const itemCount = random.weighted([[1, 5], [2, 3], [3, 2], [4, 1], [6, 1]] as const);
  const payloadKg = random.between(6000, 21000);
  let totalValue = 0;
  const goodsItems = Array.from({ length: itemCount }, () => {
    const chapter = random.weighted(CHAPTER_WEIGHTS.filter(([c]) => goods.byChapter.has(c)));
    const entry = random.pick(goods.byChapter.get(chapter)!);
    const grossMass = Math.round((payloadKg / itemCount) * random.between(0.5, 1.5) * 10) / 10;
    const amount = Math.round(grossMass * random.between(1.5, 40));
    totalValue += amount;
    return {
      hsCode: entry.code,
      description: entry.description,
      grossMass,
      netMass: Math.round(grossMass * random.between(0.85, 0.97) * 10) / 10,
      packages: { type: random.pick(['CT', 'PK', 'PX', 'BG', 'CS']), count: random.int(10, 900) },
      value: { amount, currency: 'USD' },
      countryOfOrigin: input.originCountry === 'KZ' || random.chance(0.8) ? input.originCountry : 'CN',
    };
  });
  const seals = input.deviceIds.map((identifier) => ({ identifier, electronic: true }));
  const containerised = random.chance(0.55);
  return {
    lrn: input.lrn,
    declarationType: random.weighted([['T1', 7], ['TIR', 2], ['T', 1]] as const),
    officeOfDeparture: input.officeOfDeparture,
    officesOfTransit: input.officesOfTransit,
    officesOfExit: input.officesOfExit,
    officeOfDestination: input.officeOfDestination,
    countriesOfRouting: input.countriesOfRouting,
    limitDate: input.limitDate,
    bindingItinerary: true,
    consignor,
    consignee,
    holderOfTheTransitProcedure: holder,
    carrier: { name: carrier.name, identificationNumber: carrier.identificationNumber },
    transportMeans: [{ identificationType: '30', identification: plate(random, carrierCountry), nationality: carrierCountry }],
    transportEquipment: [containerised ? { containerIdentificationNumber: containerNumber(random), seals } : { seals }],
    guarantee: {
      type: random.pick(['1', '1', '2', '3']),
      reference: `26KZ${digits(random, 6)}GRN${digits(random, 6)}`,
      amount: Math.round(totalValue * random.between(0.15, 0.4)),
      currency: 'USD',
    },
    goodsItems,
  };
};

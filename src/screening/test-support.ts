import { loadConfig } from '../config.js';
import { buildVocabulary, type NameVocabulary } from './name-vocabulary.js';

/** The reference folder tests read (CARAVAN_REFERENCE_DIR or ../shared/data). */
export const testReferenceDir = (): string => loadConfig().referenceDir;

/** A small hand-written vocabulary so pure tests do not depend on the rigour files. */
export const smallVocabulary = (): NameVocabulary =>
  buildVocabulary({
    orgTypes: {
      types: [
        { display: 'ТОО', generic: 'LLP', aliases: ['товарищество с ограниченной ответственностью'] },
        { display: 'LLP', generic: 'LLP', aliases: ['Limited liability partnership'] },
        { display: 'ООО', generic: 'LLC', aliases: ['OOO', 'общество с ограниченной ответственностью'] },
        { display: 'LLC', generic: 'LLC', aliases: ['Limited Liability Company'] },
        { display: 'GmbH', generic: 'LLC', aliases: ['Gesellschaft mit beschränkter Haftung'] },
        { display: 'JSC', generic: 'JSC', aliases: ['Joint Stock Company', 'AO'] },
      ],
    },
    symbols: { org_symbols: { group: ['group', 'групп', 'grupp'] }, person_nick: { bob: ['Bob', 'Robert'] } },
    stopwords: { PERSON_NAME_PREFIXES: ['Mr', 'Dr'] },
  });

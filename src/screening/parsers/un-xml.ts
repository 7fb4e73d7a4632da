import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError } from '../../shared/errors.js';
import { type EntityName, type Identifier, normaliseCountry, normaliseDate, type SanctionEntity } from '../entity.js';
import { type ParsedList, type RejectedRecord, uniqueStrings } from './parse-result.js';

type Node = Record<string, unknown>;

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '');
const values = (node: unknown): string[] =>
  asArray((node as Node | undefined)?.VALUE as unknown).map(text).filter(Boolean);

const refuseDoctype = (xml: string): void => {
  if (/<!DOCTYPE/i.test(xml.slice(0, 4096))) {
    throw new DomainError('validation', 'XML with a DOCTYPE is refused (entity expansion risk)', [{ path: 'file', message: 'DOCTYPE present' }]);
  }
};

/** Parses the UN Security Council consolidated list XML (sc-sanctions.xsd). */
export const parseUnXml = (xml: string, source: string): ParsedList => {
  refuseDoctype(xml);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new DomainError('validation', `UN XML is not well-formed: ${valid.err.msg} (line ${valid.err.line})`, [
      { path: `line ${valid.err.line}`, message: valid.err.msg },
    ]);
  }
  const parser = new XMLParser({ ignoreAttributes: false, processEntities: false, parseTagValue: false, trimValues: true });
  const doc = parser.parse(xml) as Node;
  const root = doc.CONSOLIDATED_LIST as Node | undefined;
  if (!root) {
    throw new DomainError('validation', 'Not a UN consolidated list: no CONSOLIDATED_LIST element', [{ path: 'CONSOLIDATED_LIST', message: 'missing' }]);
  }
  const rejected: RejectedRecord[] = [];
  const entities: SanctionEntity[] = [];
  const individuals = asArray((root.INDIVIDUALS as Node | undefined)?.INDIVIDUAL as Node | Node[]);
  const organisations = asArray((root.ENTITIES as Node | undefined)?.ENTITY as Node | Node[]);
  const read = (node: Node, person: boolean, index: number): void => {
    const ref = text(node.REFERENCE_NUMBER) || text(node.DATAID);
    const primary = [node.FIRST_NAME, node.SECOND_NAME, node.THIRD_NAME, node.FOURTH_NAME].map(text).filter(Boolean).join(' ');
    if (!ref || !primary) {
      rejected.push({ at: `${person ? 'INDIVIDUAL' : 'ENTITY'} ${index + 1}`, reason: !ref ? 'no REFERENCE_NUMBER or DATAID' : 'no name' });
      return;
    }
    const names: EntityName[] = [{ name: primary, kind: 'primary' }];
    const original = text(node.NAME_ORIGINAL_SCRIPT);
    if (original) names.push({ name: original, kind: 'original' });
    for (const alias of asArray((person ? node.INDIVIDUAL_ALIAS : node.ENTITY_ALIAS) as Node | Node[])) {
      const name = text(alias.ALIAS_NAME);
      if (name) names.push({ name, kind: text(alias.QUALITY).toLowerCase() === 'low' ? 'weak' : 'alias' });
    }
    const birthDates = asArray(node.INDIVIDUAL_DATE_OF_BIRTH as Node | Node[]).flatMap((d) =>
      [text(d.DATE), text(d.YEAR), text(d.FROM_YEAR), text(d.TO_YEAR)].map((v) => (v ? normaliseDate(v) : null)),
    );
    const countries = [
      ...values(node.NATIONALITY),
      ...asArray((person ? node.INDIVIDUAL_ADDRESS : node.ENTITY_ADDRESS) as Node | Node[]).map((a) => text(a.COUNTRY)),
    ].map((c) => (c ? normaliseCountry(c) : ''));
    const identifiers: Identifier[] = asArray(node.INDIVIDUAL_DOCUMENT as Node | Node[])
      .filter((d) => text(d.NUMBER))
      .map((d) => {
        const identifier: Identifier = { type: text(d.TYPE_OF_DOCUMENT).toLowerCase() || 'document', value: text(d.NUMBER) };
        const country = text(d.ISSUING_COUNTRY) || text(d.COUNTRY_OF_ISSUE);
        if (country) identifier.country = normaliseCountry(country);
        return identifier;
      });
    entities.push({
      id: `${source}:${ref}`,
      source,
      schema: person ? 'Person' : 'Organization',
      names,
      birthDates: uniqueStrings(birthDates),
      countries: uniqueStrings(countries),
      identifiers,
      programs: uniqueStrings([text(node.UN_LIST_TYPE)]),
      listedOn: normaliseDate(text(node.LISTED_ON)),
      sourceRef: ref,
    });
  };
  individuals.forEach((node, i) => read(node, true, i));
  organisations.forEach((node, i) => read(node, false, i));
  const generated = (root['@_dateGenerated'] as string | undefined) ?? null;
  return { entities, rejected, publishedAt: generated };
};

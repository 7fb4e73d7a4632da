import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError } from '../shared/errors.js';

type Node = Record<string, unknown>;

const REPEATED = new Set([
  'CustomsOfficeOfTransitDeclared',
  'CustomsOfficeOfExitForTransitDeclared',
  'Guarantee',
  'GuaranteeReference',
  'TransportEquipment',
  'Seal',
  'DepartureTransportMeans',
  'CountryOfRoutingOfConsignment',
  'HouseConsignment',
  'ConsignmentItem',
  'Packaging',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

/** DTDs are where XML external entities and entity-expansion bombs live; an IE015 never needs one. */
const FORBIDDEN_MARKUP = /<!(DOCTYPE|ENTITY)/i;

const child = (node: unknown, name: string): Node | undefined => {
  const value = node && typeof node === 'object' ? (node as Node)[name] : undefined;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined;
};
const children = (node: unknown, name: string): Node[] => {
  const value = node && typeof node === 'object' ? (node as Node)[name] : undefined;
  return Array.isArray(value) ? (value.filter((item) => item && typeof item === 'object') as Node[]) : [];
};
const textOf = (node: unknown, name: string): string | undefined => {
  const value = node && typeof node === 'object' ? (node as Node)[name] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
};
const numberOf = (node: unknown, name: string): number | string | undefined => {
  const value = textOf(node, name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : value;
};
const bySequence = (nodes: Node[]): Node[] =>
  [...nodes].sort((a, b) => Number(textOf(a, 'sequenceNumber') ?? 0) - Number(textOf(b, 'sequenceNumber') ?? 0));

const withoutUndefined = <T extends Record<string, unknown>>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;

const party = (node: Node | undefined): Node | undefined => {
  if (!node) return undefined;
  const address = child(node, 'Address');
  return withoutUndefined({
    name: textOf(node, 'name'),
    identificationNumber: textOf(node, 'identificationNumber'),
    address: address
      ? withoutUndefined({
          street: textOf(address, 'streetAndNumber'),
          postcode: textOf(address, 'postcode'),
          city: textOf(address, 'city'),
          country: textOf(address, 'country'),
        })
      : undefined,
  });
};

export interface Ie015Message {
  messageIdentification?: string;
  preparationDateAndTime?: string;
  /** In the shape of the JSON declaration, to be validated by the same rules. */
  declaration: Record<string, unknown>;
}

/**
 * Maps an NCTS Phase 5 CC015C message onto Caravan's declaration. Parties given per house consignment
 * are taken from the first house when the consignment level has none; the whole message is kept as
 * the original, so nothing the mapping leaves out is lost.
 */
export const parseIe015 = (xml: string): Ie015Message => {
  if (FORBIDDEN_MARKUP.test(xml)) {
    throw new DomainError('validation', 'IE015 XML must not contain a DOCTYPE or ENTITY declaration', [
      { path: '', message: 'DTDs and entity declarations are refused (external entities, entity expansion)' },
    ]);
  }
  const validity = XMLValidator.validate(xml);
  if (validity !== true) {
    throw new DomainError('validation', 'Malformed XML', [
      { path: `line ${validity.err.line}, column ${validity.err.col}`, message: validity.err.msg },
    ]);
  }
  const document = parser.parse(xml) as Node;
  const root = child(document, 'CC015C');
  if (!root) {
    const found = Object.keys(document).filter((key) => !key.startsWith('?')).join(', ') || 'nothing';
    throw new DomainError('validation', 'Not an IE015 declaration', [
      { path: '', message: `expected a CC015C root element, found ${found}` },
    ]);
  }
  const operation = child(root, 'TransitOperation') ?? {};
  const consignment = child(root, 'Consignment') ?? {};
  const houses = children(consignment, 'HouseConsignment');
  const firstHouse = houses[0];

  const goodsItems = houses.flatMap((house) =>
    children(house, 'ConsignmentItem').map((item) => {
      const commodity = child(item, 'Commodity') ?? {};
      const code = child(commodity, 'CommodityCode') ?? {};
      const measure = child(commodity, 'GoodsMeasure') ?? {};
      const packaging = bySequence(children(item, 'Packaging'))[0];
      const hsCode = `${textOf(code, 'harmonizedSystemSubHeadingCode') ?? ''}${textOf(code, 'combinedNomenclatureCode') ?? ''}`;
      return withoutUndefined({
        itemNumber: numberOf(item, 'declarationGoodsItemNumber') ?? numberOf(item, 'goodsItemNumber'),
        hsCode: hsCode || undefined,
        description: textOf(commodity, 'descriptionOfGoods'),
        grossMass: numberOf(measure, 'grossMass'),
        netMass: numberOf(measure, 'netMass'),
        packages: packaging
          ? withoutUndefined({ type: textOf(packaging, 'typeOfPackages'), count: numberOf(packaging, 'numberOfPackages') ?? 0 })
          : undefined,
        countryOfOrigin: textOf(item, 'countryOfOrigin') ?? textOf(commodity, 'countryOfOrigin'),
      });
    }),
  );

  const guarantee = bySequence(children(root, 'Guarantee'))[0];
  const guaranteeReference = guarantee ? bySequence(children(guarantee, 'GuaranteeReference'))[0] : undefined;

  const declaration = withoutUndefined({
    lrn: textOf(operation, 'LRN'),
    declarationType: textOf(operation, 'declarationType'),
    officeOfDeparture: textOf(child(root, 'CustomsOfficeOfDeparture'), 'referenceNumber'),
    officeOfDestination: textOf(child(root, 'CustomsOfficeOfDestinationDeclared'), 'referenceNumber'),
    officesOfTransit: bySequence(children(root, 'CustomsOfficeOfTransitDeclared')).map((office) => textOf(office, 'referenceNumber')),
    officesOfExit: bySequence(children(root, 'CustomsOfficeOfExitForTransitDeclared')).map((office) => textOf(office, 'referenceNumber')),
    countriesOfRouting: bySequence(children(consignment, 'CountryOfRoutingOfConsignment')).map((routing) => textOf(routing, 'country')),
    grossMass: numberOf(consignment, 'grossMass'),
    limitDate: textOf(operation, 'limitDate'),
    bindingItinerary: textOf(operation, 'bindingItinerary') === undefined ? undefined : textOf(operation, 'bindingItinerary') === '1',
    holderOfTheTransitProcedure: party(child(root, 'HolderOfTheTransitProcedure')),
    consignor: party(child(consignment, 'Consignor') ?? child(firstHouse, 'Consignor')),
    consignee: party(child(consignment, 'Consignee') ?? child(firstHouse, 'Consignee')),
    carrier: party(child(consignment, 'Carrier')),
    transportMeans: bySequence(children(consignment, 'DepartureTransportMeans')).map((means) =>
      withoutUndefined({
        identificationType: textOf(means, 'typeOfIdentification'),
        identification: textOf(means, 'identificationNumber'),
        nationality: textOf(means, 'nationality'),
      }),
    ),
    // In Caravan's IE015 profile a seal identifier is the e-seal device id (contracts/README.md).
    transportEquipment: bySequence(children(consignment, 'TransportEquipment')).map((equipment) =>
      withoutUndefined({
        containerIdentificationNumber: textOf(equipment, 'containerIdentificationNumber'),
        seals: bySequence(children(equipment, 'Seal')).map((seal) => ({ identifier: textOf(seal, 'identifier'), electronic: true })),
      }),
    ),
    guarantee: guarantee
      ? withoutUndefined({
          type: textOf(guarantee, 'guaranteeType'),
          reference: guaranteeReference ? textOf(guaranteeReference, 'GRN') : undefined,
          amount: guaranteeReference ? numberOf(guaranteeReference, 'amountToBeCovered') : undefined,
          currency: guaranteeReference ? textOf(guaranteeReference, 'currency') : undefined,
        })
      : undefined,
    goodsItems,
  });
  return withoutUndefined({
    messageIdentification: textOf(root, 'messageIdentification'),
    preparationDateAndTime: textOf(root, 'preparationDateAndTime'),
    declaration,
  });
};

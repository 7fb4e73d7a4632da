import type { DeclarationInput } from '../movements/declaration.js';

/** A lifecycle event in the exchange format of `shared/contracts/events.example.ndjson`. */
export interface StoryEvent {
  id: string;
  lrn: string;
  type: string;
  time: string;
  office: string;
}

export interface Stories {
  declarations: DeclarationInput[];
  events: StoryEvent[];
}

const HOUR = 3_600_000;

/**
 * Hand-written movements that put each capability on screen in the demo, beside the simulated traffic:
 * controlled chips misdeclared and routed to Russia for a listed buyer written in Cyrillic, a transit
 * that never left, a clean round trip, an event that arrives out of order, a refusal at departure.
 */
export const demoStories = (now: Date): Stories => {
  const at = (hoursFromNow: number) => new Date(now.getTime() + hoursFromNow * HOUR).toISOString().replace('.000Z', 'Z');
  const day = (daysFromNow: number) => at(daysFromNow * 24).slice(0, 10);
  const events: StoryEvent[] = [];
  const event = (lrn: string, type: string, hoursFromNow: number, office: string) =>
    events.push({ id: `${lrn}:${type}`, lrn, type, time: at(hoursFromNow), office });

  const shenzhenTrader = {
    name: 'Shenzhen Huaxin Electronics Co., Ltd.',
    identificationNumber: '91440300MA5F0DEMO1',
    address: { street: "Bao'an Avenue 100", city: 'Shenzhen', country: 'CN' },
  };
  const almatyForwarder = {
    name: 'ТОО «Жетысу Логистикс»',
    identificationNumber: '180740012345',
    address: { city: 'Almaty', country: 'KZ' },
  };
  const truck = (plate: string) => [{ identificationType: '30', identification: plate, nationality: 'KZ' }];
  const equipment = (container: string, seal: string) => [
    { containerIdentificationNumber: container, seals: [{ identifier: seal, electronic: false }] },
  ];
  const guarantee = (reference: string, amount: number) => ({ type: '1', reference, amount, currency: 'USD' });

  const chips = 'CARAVAN-DEMO-CHIPS-01';
  const overdue = 'CARAVAN-DEMO-LATE-01';
  const clean = 'CARAVAN-DEMO-CLEAN-01';
  const outOfOrder = 'CARAVAN-DEMO-ORDER-01';
  const refused = 'CARAVAN-DEMO-NOREL-01';

  const declarations: DeclarationInput[] = [
    {
      lrn: chips,
      declarationType: 'T1',
      officeOfDeparture: 'KZ000101',
      officesOfTransit: ['KZ000201', 'KZ000207', 'KZ000202'],
      officesOfExit: ['KZ000135'],
      officeOfDestination: 'RU000905',
      countriesOfRouting: ['KZ', 'RU'],
      limitDate: day(5),
      bindingItinerary: true,
      consignor: shenzhenTrader,
      consignee: {
        name: 'АО «Саратовский радиоприборный завод»',
        identificationNumber: '6453104288',
        address: { city: 'Саратов', country: 'RU' },
      },
      holderOfTheTransitProcedure: almatyForwarder,
      carrier: almatyForwarder,
      transportMeans: truck('512KZA02'),
      transportEquipment: equipment('TGHU8456032', 'KZ-SEAL-770011'),
      guarantee: guarantee('26KZ000101GRN000901', 42000),
      goodsItems: [
        {
          hsCode: '854370',
          description: 'Electrical parts: STM32F407 microcontroller boards',
          grossMass: 86,
          netMass: 71,
          packages: { type: 'CT', count: 6 },
          value: { amount: 61000, currency: 'USD' },
          countryOfOrigin: 'CN',
        },
        {
          hsCode: '848310',
          description: 'Ball bearings 6204-2RS, deep groove',
          grossMass: 640,
          netMass: 610,
          packages: { type: 'CT', count: 32 },
          value: { amount: 9800, currency: 'USD' },
          countryOfOrigin: 'CN',
        },
        {
          hsCode: '852990',
          description: 'GNSS receiver modules u-blox NEO-M8N',
          grossMass: 24,
          netMass: 19,
          packages: { type: 'CT', count: 2 },
          value: { amount: 17500, currency: 'USD' },
          countryOfOrigin: 'CN',
        },
      ],
    },
    {
      lrn: overdue,
      declarationType: 'T1',
      officeOfDeparture: 'KZ000104',
      officesOfTransit: ['KZ000201'],
      officesOfExit: ['KZ000111'],
      officeOfDestination: 'UZ000901',
      countriesOfRouting: ['KZ', 'UZ'],
      limitDate: day(-4),
      bindingItinerary: false,
      consignor: { name: 'Xinjiang Tianshan Machinery Import & Export Co.', address: { city: 'Urumqi', country: 'CN' } },
      consignee: { name: 'OOO Toshkent Stanok Servis', address: { city: 'Tashkent', country: 'UZ' } },
      holderOfTheTransitProcedure: { name: 'TOO Dostyk Trans Service', identificationNumber: '090340018811', address: { city: 'Dostyk', country: 'KZ' } },
      carrier: { name: 'TOO Dostyk Trans Service', identificationNumber: '090340018811' },
      transportMeans: truck('308DTS13'),
      transportEquipment: equipment('CSNU6202113', 'KZ-SEAL-770245'),
      guarantee: guarantee('26KZ000104GRN000311', 65000),
      goodsItems: [
        {
          hsCode: '845811',
          description: 'CNC horizontal lathes, numerically controlled',
          grossMass: 9400,
          netMass: 9100,
          packages: { type: 'CS', count: 2 },
          value: { amount: 212000, currency: 'USD' },
          countryOfOrigin: 'CN',
        },
      ],
    },
    {
      lrn: clean,
      declarationType: 'T1',
      officeOfDeparture: 'KZ000101',
      officesOfExit: ['KZ000108'],
      officeOfDestination: 'KG000902',
      countriesOfRouting: ['KZ', 'KG'],
      bindingItinerary: false,
      consignor: shenzhenTrader,
      consignee: { name: 'OsOO Ala-Too Trade', identificationNumber: '02510201910053', address: { city: 'Bishkek', country: 'KG' } },
      holderOfTheTransitProcedure: almatyForwarder,
      carrier: almatyForwarder,
      transportMeans: truck('771ABK02'),
      transportEquipment: equipment('MSKU7788104', 'KZ-SEAL-770390'),
      guarantee: guarantee('26KZ000101GRN000944', 9000),
      goodsItems: [
        {
          hsCode: '610910',
          description: "Men's cotton T-shirts",
          grossMass: 800,
          netMass: 760,
          packages: { type: 'CT', count: 40 },
          value: { amount: 6400, currency: 'USD' },
          countryOfOrigin: 'CN',
        },
      ],
    },
    {
      lrn: outOfOrder,
      declarationType: 'T1',
      officeOfDeparture: 'KZ000103',
      officesOfExit: ['KZ000142'],
      officeOfDestination: 'RU000905',
      countriesOfRouting: ['KZ', 'RU'],
      bindingItinerary: false,
      consignor: { name: 'Chongqing Yuxin Auto Parts Co., Ltd.', address: { city: 'Chongqing', country: 'CN' } },
      consignee: { name: 'ООО «Сибирь Автодеталь»', address: { city: 'Омск', country: 'RU' } },
      holderOfTheTransitProcedure: { name: 'KTZ Express JSC', identificationNumber: '030240006734', address: { city: 'Astana', country: 'KZ' } },
      carrier: { name: 'KTZ Express JSC', identificationNumber: '030240006734' },
      transportMeans: [{ identificationType: '80', identification: 'KZH-2210456', nationality: 'KZ' }],
      transportEquipment: equipment('TKRU4410236', 'KZ-SEAL-770512'),
      guarantee: guarantee('26KZ000103GRN000128', 14000),
      goodsItems: [
        {
          hsCode: '870829',
          description: 'Car body parts: door panels',
          grossMass: 4200,
          netMass: 3900,
          packages: { type: 'PX', count: 12 },
          value: { amount: 23000, currency: 'USD' },
          countryOfOrigin: 'CN',
        },
      ],
    },
    {
      lrn: refused,
      declarationType: 'T1',
      officeOfDeparture: 'KZ000108',
      officesOfExit: ['KZ000130'],
      officeOfDestination: 'RU000907',
      countriesOfRouting: ['KZ', 'RU'],
      bindingItinerary: false,
      consignor: { name: 'OsOO Bishkek Elektro Trade', address: { city: 'Bishkek', country: 'KG' } },
      consignee: { name: 'ООО «Урал Промснаб»', address: { city: 'Екатеринбург', country: 'RU' } },
      holderOfTheTransitProcedure: almatyForwarder,
      carrier: almatyForwarder,
      transportMeans: truck('224KGB08'),
      transportEquipment: equipment('FCIU3344175', 'KZ-SEAL-770633'),
      guarantee: guarantee('26KZ000108GRN000067', 5000),
      goodsItems: [
        {
          hsCode: '847130',
          description: 'Portable laptops, 14 inch',
          grossMass: 310,
          netMass: 260,
          packages: { type: 'CT', count: 120 },
          value: { amount: 54000, currency: 'USD' },
          countryOfOrigin: 'CN',
        },
      ],
    },
  ];

  event(chips, 'accepted', -31, 'KZ000101');
  event(chips, 'released', -30, 'KZ000101');
  event(chips, 'passed_transit', -22, 'KZ000201');

  event(overdue, 'accepted', -12 * 24, 'KZ000104');
  event(overdue, 'released', -12 * 24 + 2, 'KZ000104');
  event(overdue, 'passed_transit', -11 * 24, 'KZ000201');

  event(clean, 'accepted', -60, 'KZ000101');
  event(clean, 'released', -59, 'KZ000101');
  event(clean, 'exited', -44, 'KZ000108');
  event(clean, 'arrived', -40, 'KG000902');
  event(clean, 'discharged', -38, 'KG000902');

  event(outOfOrder, 'accepted', -20, 'KZ000103');
  event(outOfOrder, 'exited', -6, 'KZ000142');
  event(outOfOrder, 'released', -5, 'KZ000103');

  event(refused, 'accepted', -8, 'KZ000108');
  event(refused, 'not_released', -7, 'KZ000108');

  return { declarations, events };
};

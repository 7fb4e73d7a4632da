/** Shapes of the API answers the UI reads (see /api/openapi.json). */

export interface Office {
  code: string;
  name: string;
  role: 'border_crossing' | 'inland' | 'port' | 'foreign_destination';
  mode: string | null;
  country: string;
  neighbour: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface Party {
  name: string;
  identificationNumber?: string;
  address?: { street?: string; city?: string; country?: string };
}

export interface GoodsItem {
  hsCode: string;
  description: string;
  grossMass?: number;
  netMass?: number;
  packages?: { type: string; count: number };
  value?: { amount: number; currency: string };
  countryOfOrigin?: string;
}

export interface Declaration {
  lrn: string;
  declarationType: string;
  officeOfDeparture: string;
  officesOfTransit: string[];
  officesOfExit: string[];
  officeOfDestination: string;
  countriesOfRouting: string[];
  limitDate?: string;
  consignor?: Party;
  consignee?: Party;
  holderOfTheTransitProcedure?: Party;
  carrier?: Party;
  declarant?: Party;
  transportMeans?: { identificationType: string; identification: string; nationality?: string }[];
  transportEquipment?: { containerIdentificationNumber?: string; seals?: { identifier: string; electronic?: boolean }[] }[];
  guarantee?: { type: string; reference?: string; amount?: number; currency?: string };
  goodsItems: GoodsItem[];
}

export interface Movement {
  id: string;
  lrn: string;
  mrn: string | null;
  state: string;
  stateBeforeHold: string | null;
  overdue: boolean;
  declaredAt: string;
  updatedAt: string;
  limitDate: string | null;
  declaration: Declaration;
}

export interface MovementEvent {
  id: string;
  seq: number;
  type: string;
  time: string;
  office: string | null;
  actor: string;
  details: Record<string, unknown> | null;
  outcome: 'applied' | 'refused';
  refusalReason: string | null;
  note: string | null;
  stateBefore: string;
  stateAfter: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Position {
  movementId: string;
  lrn: string;
  time: string;
  lat: number;
  lon: number;
  lastMessageAt: string;
  /** Present when the risk service scores movements. */
  risk?: number | null;
}

export interface TrackMessage {
  time: string;
  lat: number;
  lon: number;
  speedKmh: number;
  sealState: string;
  battery: number;
  eventCode?: string;
}

export interface Track {
  movementId: string;
  devices: { deviceId: string; boundAt: string; unboundAt: string | null }[];
  messages: number;
  positions: TrackMessage[];
  sealEvents: TrackMessage[];
}

export interface Alert {
  id: string;
  type: string;
  source: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  status: string;
  score: number;
  title: string;
  movementId: string | null;
  partyKey: string | null;
  itemIndex: number | null;
  evidence: Record<string, unknown>;
  observedAt: string;
  raisedAt?: string;
  assignee?: string | null;
  risk?: number | null;
  office?: string | null;
  corridor?: string | null;
}

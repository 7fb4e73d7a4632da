/**
 * What tracking needs to know about a movement. A port of its own, so tracking does not depend on the
 * movements capability: whoever owns movements builds this from a declaration and its lifecycle events.
 */
export type ItineraryRole = 'departure' | 'transit' | 'exit' | 'destination';

export interface ItineraryOffice {
  code: string;
  role: ItineraryRole;
  lat: number;
  lon: number;
  /** Country of the office (ISO-2). */
  country: string;
  /** For a border crossing: the neighbour it leads to (ISO-2); empty otherwise. */
  neighbour: string;
}

export type MovementPhase = 'released' | 'exited' | 'arrived' | 'closed';

export interface MovementContext {
  movementId: string;
  lrn: string;
  /** Offices in the order the goods must pass them: departure, transits, exits, destination. */
  itinerary: ItineraryOffice[];
  /** Every office the declaration names, placed or not: who may see the movement (officer scope). */
  officeCodes?: string[];
  /** Declared countries of routing (ISO-2), including departure and destination countries. */
  countriesOfRouting: string[];
  /** E-seal device ids declared on the movement's transport equipment. */
  deviceIds: string[];
  /** When the movement was released for transit (ISO-8601); detectors start here. */
  releasedAt: string;
  /** End of the transit time limit (ISO-8601 instant). */
  limitAt: string;
  /** Where the movement stands in its life: detectors that watch a truck on the road stop after exit/arrival. */
  phase: MovementPhase;
  /** When the exit from the customs territory or arrival at destination was confirmed (ISO-8601), if it was. */
  completedAt?: string;
}

/** The message shape of contracts/telemetry.example.ndjson, validated. */
export type SealState = 'armed' | 'opened' | 'tampered';

export interface TelemetryMessage {
  deviceId: string;
  messageId: string;
  time: string;
  lat: number;
  lon: number;
  speedKmh: number;
  sealState: SealState;
  battery: number;
  eventCode?: string;
}

/** What the builder needs of a declaration: the declared offices, routing and seals. */
export interface DeclaredRoute {
  officeOfDeparture: string;
  officesOfTransit: readonly string[];
  officesOfExit: readonly string[];
  officeOfDestination: string;
  countriesOfRouting: readonly string[];
}

export interface OfficePosition {
  code: string;
  country: string;
  neighbour: string;
  lat: number;
  lon: number;
}

/**
 * The itinerary in the order the goods pass it. An office without a known position cannot shape the
 * corridor and is left out; the corridor then joins its neighbours directly.
 */
export const itineraryOf = (route: DeclaredRoute, office: (code: string) => OfficePosition | undefined): ItineraryOffice[] => {
  const roles: [string, ItineraryRole][] = [
    [route.officeOfDeparture, 'departure'],
    ...route.officesOfTransit.map((code): [string, ItineraryRole] => [code, 'transit']),
    ...route.officesOfExit.map((code): [string, ItineraryRole] => [code, 'exit']),
    [route.officeOfDestination, 'destination'],
  ];
  return roles.flatMap(([code, role]) => {
    const found = office(code);
    return found ? [{ code, role, lat: found.lat, lon: found.lon, country: found.country, neighbour: found.neighbour }] : [];
  });
};

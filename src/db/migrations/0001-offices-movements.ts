import type { Migration } from './migration.js';

/** Search keys compare bytes, so PostgreSQL's locale collation must not reorder them. */
const schema = (bytewiseText: string): string => `
CREATE TABLE offices (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  mode TEXT,
  country TEXT NOT NULL,
  neighbour TEXT,
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  origin TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);

CREATE TABLE movements (
  id TEXT PRIMARY KEY,
  lrn TEXT NOT NULL,
  declarant_key TEXT NOT NULL,
  mrn TEXT UNIQUE,
  state TEXT NOT NULL,
  state_before_hold TEXT,
  declaration_type TEXT NOT NULL,
  office_of_departure TEXT NOT NULL,
  office_of_destination TEXT NOT NULL,
  limit_date TEXT,
  limit_at TEXT,
  declared_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  event_count INTEGER NOT NULL,
  declaration_json TEXT NOT NULL,
  original_format TEXT NOT NULL,
  original_message TEXT NOT NULL,
  UNIQUE (declarant_key, lrn)
);
CREATE INDEX movements_declared ON movements (declared_at, id);
CREATE INDEX movements_state_declared ON movements (state, declared_at, id);
CREATE INDEX movements_lrn ON movements (lrn);
CREATE INDEX movements_limit ON movements (limit_at);

-- One row per (filter key, movement) in listing order, so every filter is an ordered index scan:
-- office:KZ000101, country:RU, hs:85 / hs:8542 / hs:854231, party:<word>.
CREATE TABLE movement_search (
  key ${bytewiseText} NOT NULL,
  declared_at TEXT NOT NULL,
  movement_id TEXT NOT NULL REFERENCES movements (id),
  PRIMARY KEY (key, declared_at, movement_id)
);

CREATE TABLE movement_events (
  id TEXT PRIMARY KEY,
  movement_id TEXT NOT NULL REFERENCES movements (id),
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  time TEXT NOT NULL,
  office TEXT,
  actor TEXT NOT NULL,
  details_json TEXT,
  recorded_at TEXT NOT NULL,
  outcome TEXT NOT NULL,
  refusal_reason TEXT,
  note TEXT,
  state_before TEXT NOT NULL,
  state_after TEXT NOT NULL,
  UNIQUE (movement_id, seq)
);
`;

export const migration: Migration = {
  id: '0001-offices-movements',
  up: { sqlite: schema('TEXT'), postgres: schema('TEXT COLLATE "C"') },
};

import type { Dialect } from '../db.js';

export interface Migration {
  /** Sortable, never reused: `0001-movements`. */
  id: string;
  /** Portable SQL, or one script per dialect where the engines differ. */
  up: string | Record<Dialect, string>;
}

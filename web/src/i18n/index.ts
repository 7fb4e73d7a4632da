import { en } from './en.js';

/** The active language. Adding one means a file like en.ts and choosing it here. */
export const t = en;

export const label = (table: Record<string, string>, key: string): string => table[key] ?? key.replace(/[._]/g, ' ');

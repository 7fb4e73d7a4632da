import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { DeclarationInput } from '../../src/movements/declaration.js';

export const referenceDir = loadConfig().referenceDir;
export const contractsDir = path.resolve(referenceDir, '..', 'contracts');

/** The contract's own example declaration, read where it lives rather than copied. */
export const exampleDeclaration = (): DeclarationInput =>
  JSON.parse(readFileSync(path.join(contractsDir, 'declaration.example.json'), 'utf8')) as DeclarationInput;

export const exampleEvents = (): Record<string, unknown>[] =>
  readFileSync(path.join(contractsDir, 'events.example.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

export const declarationWith = (changes: Partial<DeclarationInput>): DeclarationInput => ({ ...exampleDeclaration(), ...changes });

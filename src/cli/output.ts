import type { FieldIssue } from '../shared/errors.js';

export const printJson = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

/** One line per rejected record, in the words an officer fixing the file needs: where, what, why. */
export const printRejections = (
  rejected: readonly { line?: number; reference?: string; message: string; issues: FieldIssue[] }[],
  stream: NodeJS.WriteStream = process.stderr,
): void => {
  for (const record of rejected) {
    const where = record.line !== undefined ? `line ${record.line}` : 'record';
    const what = record.reference ? ` (${record.reference})` : '';
    const details = record.issues.map((issue) => `${issue.path || '(record)'}: ${issue.message}`).join('; ');
    stream.write(`  ${where}${what}: ${record.message}${details ? ` — ${details}` : ''}\n`);
  }
};

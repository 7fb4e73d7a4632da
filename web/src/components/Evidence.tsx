/** Evidence is whatever the rule recorded; shown as a readable list rather than raw JSON. */
const show = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) return value.join(', ');
  return JSON.stringify(value);
};

const readable = (key: string): string => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_.]/g, ' ');

export const Evidence = ({ evidence, skip = [] }: { evidence: Record<string, unknown>; skip?: readonly string[] }) => (
  <dl className="evidence">
    {Object.entries(evidence)
      .filter(([key]) => !skip.includes(key))
      .map(([key, value]) => (
        <div key={key}>
          <dt>{readable(key)}</dt>
          <dd>{show(value)}</dd>
        </div>
      ))}
  </dl>
);

/** Evidence is whatever the rule recorded; shown as a readable list rather than raw JSON. */
const show = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) return value.join(', ');
  return JSON.stringify(value);
};

const readable = (key: string): string => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_.]/g, ' ');

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A list of records (the hits a goods alert names, one per item and list entry) reads as a list of evidence. */
export const Evidence = ({ evidence, skip = [] }: { evidence: Record<string, unknown>; skip?: readonly string[] }) => (
  <dl className="evidence">
    {Object.entries(evidence)
      .filter(([key]) => !skip.includes(key))
      .map(([key, value]) => (
        <div key={key}>
          <dt>{readable(key)}</dt>
          <dd>
            {Array.isArray(value) && value.length > 0 && value.every(isRecord) ? (
              <ol>
                {value.map((record, index) => (
                  <li key={index}>
                    <Evidence evidence={record} />
                  </li>
                ))}
              </ol>
            ) : (
              show(value)
            )}
          </dd>
        </div>
      ))}
  </dl>
);

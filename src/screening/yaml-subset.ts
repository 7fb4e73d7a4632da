import { DomainError } from '../shared/errors.js';

export type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

/**
 * Reads the block-style YAML subset the rigour vocabularies use (nested maps, lists of scalars, lists of
 * maps, quoted or plain scalars, comments). The `yaml` package is not a declared dependency of Caravan,
 * and these files never use flow style, anchors or multi-line scalars.
 */
export const parseYamlSubset = (text: string, fileName: string): YamlValue => {
  interface Line { indent: number; body: string; number: number }
  const lines: Line[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const body = stripComment(raw).trimEnd();
    if (body.trim() === '') return;
    lines.push({ indent: body.length - body.trimStart().length, body: body.trim(), number: index + 1 });
  });
  let position = 0;
  const fail = (line: Line, message: string): never => {
    throw new DomainError('validation', `${fileName} line ${line.number}: ${message}`, [
      { path: `${fileName}:${line.number}`, message },
    ]);
  };

  const parseBlock = (indent: number): YamlValue => {
    const first = lines[position];
    if (!first) return '';
    if (first.body.startsWith('- ') || first.body === '-') {
      const list: YamlValue[] = [];
      while (position < lines.length) {
        const line = lines[position] as Line;
        if (line.indent < indent || !(line.body.startsWith('- ') || line.body === '-')) break;
        if (line.indent > indent) fail(line, 'unexpected indentation');
        const rest = line.body.slice(1).trim();
        const keyed = splitKey(rest);
        if (keyed && keyed.value === '') {
          // "- key:" opens a map whose further keys sit two columns in.
          position++;
          const map: Record<string, YamlValue> = { [keyed.key]: parseBlock(indent + 2) };
          Object.assign(map, parseMap(indent + 2));
          list.push(map);
        } else if (keyed) {
          lines[position] = { ...line, indent: indent + 2, body: rest };
          list.push(parseMap(indent + 2));
        } else {
          position++;
          list.push(unquote(rest));
        }
      }
      return list;
    }
    return parseMap(first.indent);
  };

  const parseMap = (indent: number): Record<string, YamlValue> => {
    const map: Record<string, YamlValue> = {};
    while (position < lines.length) {
      const line = lines[position] as Line;
      if (line.indent !== indent || line.body.startsWith('- ')) {
        if (line.indent > indent) fail(line, 'unexpected indentation');
        break;
      }
      const keyed = splitKey(line.body) ?? fail(line, 'expected "key:"');
      position++;
      if (keyed.value !== '') map[keyed.key] = unquote(keyed.value);
      else {
        const next = lines[position];
        map[keyed.key] = next && next.indent >= indent && (next.indent > indent || next.body.startsWith('- '))
          ? parseBlock(next.indent)
          : '';
      }
    }
    return map;
  };

  return parseBlock(0);
};

const stripComment = (line: string): string => {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1] as string))) return line.slice(0, i);
  }
  return line;
};

const splitKey = (body: string): { key: string; value: string } | null => {
  const match = /^("[^"]*"|'[^']*'|[^:"'\s][^:]*?):(?:\s+(.*))?$/.exec(body);
  if (!match) return null;
  return { key: unquote(match[1] as string), value: (match[2] ?? '').trim() };
};

const unquote = (value: string): string => {
  const v = value.trim();
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) {
    return v.slice(1, -1);
  }
  return v;
};

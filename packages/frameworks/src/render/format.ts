/**
 * Value formatting shared by the renderers. Floats always carry a decimal point: PyYAML (YAML 1.1)
 * reads `1e-06` as a string, while `1.0e-06` is a float there and everywhere else (Hydra, argparse).
 */
export function formatFloat(x: number): string {
  const s = String(x);
  if (s.includes('.')) return s;
  if (s.includes('e')) return s.replace('e', '.0e');
  return `${s}.0`;
}

export function formatInt(n: number): string {
  return String(n);
}

/** A Hydra override value for a string: single-quoted, so `,`, `=`, `[`, spaces and the like stay literal. */
export function hydraString(value: string): string {
  return `'${value}'`;
}

export function hydraList(values: readonly string[]): string {
  return `[${values.map(hydraString).join(',')}]`;
}

/** A YAML scalar: JSON string syntax is valid YAML double-quoted style, with every escape it needs. */
export type YamlValue = string | number | boolean | { float: number } | readonly YamlValue[] | YamlMap;
export interface YamlMap {
  readonly [key: string]: YamlValue | undefined;
}

/**
 * Emits a YAML block document for plain maps, lists and scalars, keys in the given order (insertion
 * order of the object). Numbers are integers unless wrapped as `{ float }`. Undefined entries are left out.
 */
export function toYaml(map: YamlMap, header = ''): string {
  const lines: string[] = header === '' ? [] : header.split('\n').map((l) => `# ${l}`);
  emitMap(map, 0, lines);
  return `${lines.join('\n')}\n`;
}

function isScalar(v: YamlValue): v is string | number | boolean | { float: number } {
  return typeof v !== 'object' || (!Array.isArray(v) && 'float' in v && typeof (v as { float: unknown }).float === 'number');
}

function scalar(v: string | number | boolean | { float: number }): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`integer expected, got ${v}; wrap floats as { float }`);
    return formatInt(v);
  }
  return formatFloat(v.float);
}

function emitMap(map: YamlMap, indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    if (isScalar(value)) lines.push(`${pad}${key}: ${scalar(value)}`);
    else if (Array.isArray(value)) {
      lines.push(`${pad}${key}:`);
      emitList(value as readonly YamlValue[], indent + 2, lines);
    } else {
      lines.push(`${pad}${key}:`);
      emitMap(value as YamlMap, indent + 2, lines);
    }
  }
}

function emitList(list: readonly YamlValue[], indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  for (const item of list) {
    if (isScalar(item)) lines.push(`${pad}- ${scalar(item)}`);
    else if (Array.isArray(item)) throw new Error('nested lists are not emitted');
    else {
      const inner: string[] = [];
      emitMap(item as YamlMap, indent + 2, inner);
      // The first key sits on the dash line: "- key: value".
      inner[0] = `${pad}- ${inner[0]!.slice(indent + 2)}`;
      lines.push(...inner);
    }
  }
}

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4): every line must be a
 * comment, a `# HELP` / `# TYPE` line or a sample `name{label="value",…} value [timestamp]`;
 * anything else throws. Returns the samples with their family's type.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  type: string | undefined;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const SAMPLE = new RegExp(
  `^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (\\S+)(?: (-?\\d+))?$`,
);
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function parsePrometheus(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type) {
        if (!TYPES.has(type[2])) throw new Error(`line ${i + 1}: unknown type ${type[2]}`);
        types.set(type[1], type[2]);
      } else if (!/^# HELP \S+ /.test(line) && !/^# /.test(line)) {
        throw new Error(`line ${i + 1}: malformed comment: ${line}`);
      }
      return;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`line ${i + 1}: not a sample: ${line}`);
    const value = Number(m[3].replace(/^\+?Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity'));
    if (Number.isNaN(value) && m[3] !== 'NaN') throw new Error(`line ${i + 1}: bad value ${m[3]}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g)) {
      labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    }
    const family = m[1].replace(/_(bucket|sum|count|total)$/, '');
    samples.push({ name: m[1], labels, value, type: types.get(m[1]) ?? types.get(family) });
  });
  return samples;
}

// Checks values against a schema copied into shared/specs (JSON Schema 2020-12 `$defs`, or an OpenAPI 3.1
// document's components/schemas), so tests hold the demo and the clients to what the provider publishes.
import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020';
import { parse } from 'yaml';

export type SpecCheck = (name: string, value: unknown) => string[];

export async function loadSpec(file: string): Promise<SpecCheck> {
  const text = await readFile(new URL(`../../../../shared/specs/${file}`, import.meta.url), 'utf8');
  const doc = parse(text) as Record<string, unknown>;
  // Formats (uri, date-time, unixtime, binary) are descriptive here; the shapes are what is checked.
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ ...doc, $id: 'spec' });
  const base = doc.openapi ? 'spec#/components/schemas/' : 'spec#/$defs/';
  return (name, value) => {
    const check = ajv.getSchema(base + name);
    if (!check) throw new Error(`schema ${name} not in ${file}`);
    return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  };
}

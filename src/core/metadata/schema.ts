import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Problem } from '../errors.js';
import type { JsonSource } from './json-source.js';

// ajv-formats is CommonJS: its default export arrives wrapped under NodeNext.
type AddFormats = (ajv: Ajv2020) => unknown;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats);

/**
 * The one ajv configuration: JSON Schema 2020-12, strict mode, every error, formats checked.
 * `source` keeps the generated code, for ajv's standalone validators (scripts/compile-schemas.mjs).
 */
export function schemaCompiler(source = false): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    ...(source ? { code: { source } } : {}),
  });
  addFormats(ajv);
  return ajv;
}

export function compileSchema(schema: object): ValidateFunction {
  return schemaCompiler().compile(schema);
}

// The form a format expects, said with an example: "is not a valid date" does not say which.
const FORMS: Record<string, string> = {
  date: 'a date in the form YYYY-MM-DD (e.g. 2017-03-17)',
  'date-time': 'a date and time in the form YYYY-MM-DDThh:mm:ssZ (e.g. 2017-03-17T12:00:00Z)',
  uri: 'an absolute URI (e.g. https://example.org/page)',
};

/** The value at a JSON pointer (RFC 6901) of a parsed document. */
function valueAt(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (v, key) =>
        v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined,
      value,
    );
}

function sentence(e: ErrorObject, data: unknown): { pointer: string; message: string } {
  const at = e.instancePath || '/';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        pointer: `${e.instancePath}/${String(p.additionalProperty)}`,
        message: `${at}: unknown property "${String(p.additionalProperty)}" (not in the schema)`,
      };
    case 'required':
      return {
        pointer: e.instancePath,
        message: `${at}: missing required property "${String(p.missingProperty)}"`,
      };
    case 'type':
      return { pointer: e.instancePath, message: `${at}: must be of type ${String(p.type)}` };
    case 'format': {
      const form = FORMS[String(p.format)];
      const value = typeof data === 'string' ? `"${data}" ` : '';
      return {
        pointer: e.instancePath,
        message: form
          ? `${at}: ${value}is not ${form}`
          : `${at}: ${value}is not a valid ${String(p.format)}`,
      };
    }
    case 'pattern':
      return {
        pointer: e.instancePath,
        message: `${at}: does not match the pattern ${String(p.pattern)}`,
      };
    case 'enum':
      return {
        pointer: e.instancePath,
        message: `${at}: must be one of ${JSON.stringify(p.allowedValues)}`,
      };
    case 'const':
      return {
        pointer: e.instancePath,
        message: `${at}: must be ${JSON.stringify(p.allowedValue)}`,
      };
    default:
      return { pointer: e.instancePath, message: `${at}: ${e.message ?? e.keyword}` };
  }
}

/** Runs the schema and turns every error into a problem with pointer, line and column. */
export function schemaProblems(
  validate: ValidateFunction,
  source: JsonSource,
  file?: string,
): Problem[] {
  if (validate(source.value)) return [];
  return (validate.errors ?? []).map((e) => {
    const { pointer, message } = sentence(e, valueAt(source.value, e.instancePath));
    const pos = source.positions.get(pointer);
    const at = pos?.key ?? pos?.value ?? { line: 1, column: 1 };
    return {
      code: `schema-${e.keyword}`,
      message,
      location: { ...(file ? { file } : {}), line: at.line, column: at.column, pointer },
    };
  });
}

import { DocprovError } from '../../core/errors.js';
import { Secret } from './secret.js';

// RFC 7512 PKCS#11 URIs: "pkcs11:" path attributes separated by ";", then "?" and query
// attributes separated by "&", every value percent-encoded where it leaves the allowed set.
// Strict on purpose: an attribute docprov does not know is refused, never ignored, because an
// ignored path attribute would widen which key matches (a typo "objet=" would match them all).

export type ObjectType = 'public' | 'private' | 'cert' | 'secret-key' | 'data';

/** A parsed URI. Text attributes are decoded (UTF-8); `id` stays bytes. */
export interface Pkcs11Uri {
  token?: string;
  manufacturer?: string;
  serial?: string;
  model?: string;
  libraryManufacturer?: string;
  libraryDescription?: string;
  libraryVersion?: { major: number; minor: number };
  object?: string;
  type?: ObjectType;
  id?: Uint8Array;
  slotDescription?: string;
  slotManufacturer?: string;
  slotId?: number;
  pinSource?: string;
  /** The PIN given in the URI itself: kept in a Secret, so no print or log can show it. */
  pinValue?: Secret;
  moduleName?: string;
  modulePath?: string;
  /** The URI as given, with any pin-value hidden: the only form that may be printed. */
  display: string;
}

const TEXT_PATH: Record<string, keyof Pkcs11Uri> = {
  token: 'token',
  manufacturer: 'manufacturer',
  serial: 'serial',
  model: 'model',
  'library-manufacturer': 'libraryManufacturer',
  'library-description': 'libraryDescription',
  object: 'object',
  'slot-description': 'slotDescription',
  'slot-manufacturer': 'slotManufacturer',
};
const OTHER_PATH = ['library-version', 'type', 'id', 'slot-id'];
const QUERY = ['pin-source', 'pin-value', 'module-name', 'module-path'];
const TYPES: readonly string[] = ['public', 'private', 'cert', 'secret-key', 'data'];

// RFC 3986 unreserved, plus the specials RFC 7512 allows unencoded in each part.
const UNRESERVED = 'A-Za-z0-9\\-._~';
const PATH_CHAR = new RegExp(`[${UNRESERVED}:\\[\\]@!$&'()*+,=]`);
const QUERY_CHAR = new RegExp(`[${UNRESERVED}/?|:\\[\\]@!$'()*+,=]`);
const MAX_LENGTH = 4096;

export const PKCS11_EXAMPLE =
  'pkcs11:token=docprov;object=publisher;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/secrets/token-pin';

export const isPkcs11Uri = (value: string): boolean => /^pkcs11:/i.test(value.trimStart());

/** The URI with the value of any pin-value attribute replaced: safe for messages. */
export function redactUri(value: string): string {
  return value.replace(/([?&]pin-value=)[^&]*/gi, '$1(hidden)');
}

function uriError(variable: string, reason: string): DocprovError {
  return new DocprovError(
    'bad-pkcs11-uri',
    `${variable} is not a valid PKCS#11 URI (RFC 7512): ${reason}`,
    {
      severity: 'unusable',
      hint: `write it as ${PKCS11_EXAMPLE} (percent-encode other characters: a space is %20)`,
    },
  );
}

/** Percent-decodes one attribute value, checking each character against the part's set. */
function decode(
  raw: string,
  allowed: RegExp,
  fail: (reason: string) => never,
  what: string,
  secret: boolean,
): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '%') {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex))
        fail(
          secret
            ? `${what} holds a "%" that is not followed by two hexadecimal digits`
            : `${what} holds "%${hex}", and a "%" must be followed by two hexadecimal digits`,
        );
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (allowed.test(c)) bytes.push(c.charCodeAt(0));
    else
      fail(
        // The PIN's own characters are never shown, not even the one that is wrong.
        secret
          ? `${what} holds a character that must be percent-encoded`
          : `${what} holds ${JSON.stringify(c)}, which must be percent-encoded (%${[
              ...new TextEncoder().encode(c),
            ]
              .map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
              .join('%')})`,
      );
  }
  return new Uint8Array(bytes);
}

function text(bytes: Uint8Array, fail: (reason: string) => never, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail(`${what} is not UTF-8 once percent-decoded`);
  }
}

/** Splits "name=value" pairs, refusing empty and repeated attributes. */
function pairs(
  part: string,
  separator: string,
  fail: (reason: string) => never,
  where: string,
): [string, string][] {
  if (part === '') return [];
  const seen = new Set<string>();
  return part.split(separator).map((attr) => {
    const eq = attr.indexOf('=');
    if (attr === '') fail(`an empty ${where} attribute (a "${separator}" too many)`);
    // A query attribute without "=" could be a mistyped PIN: only a path one is quoted.
    if (eq <= 0)
      fail(
        where === 'path'
          ? `the path attribute ${JSON.stringify(attr)} has no "name=value" form`
          : 'a query attribute has no "name=value" form',
      );
    const name = attr.slice(0, eq);
    if (seen.has(name)) fail(`the attribute ${name} appears twice`);
    seen.add(name);
    return [name, attr.slice(eq + 1)];
  });
}

/** Parses an RFC 7512 URI; `variable` names where it came from, for the messages. */
export function parsePkcs11Uri(value: string, variable: string): Pkcs11Uri {
  const fail = (reason: string): never => {
    throw uriError(variable, reason);
  };
  const uri = value.trim();
  if (uri.length > MAX_LENGTH) fail(`it is longer than ${MAX_LENGTH} characters`);
  if (!isPkcs11Uri(uri)) fail('it does not start with "pkcs11:"');
  const rest = uri.slice('pkcs11:'.length);
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? '' : rest.slice(q + 1);
  const out: Pkcs11Uri = { display: redactUri(uri) };
  const set = out as unknown as Record<string, unknown>;

  for (const [name, raw] of pairs(path, ';', fail, 'path')) {
    const what = `the value of ${name}`;
    if (!(name in TEXT_PATH) && !OTHER_PATH.includes(name))
      fail(
        QUERY.includes(name)
          ? `${name} is a query attribute: it goes after "?", as in ?${name}=...`
          : `docprov does not know the path attribute "${name}" (it knows ${[...Object.keys(TEXT_PATH), ...OTHER_PATH].join(', ')})`,
      );
    const bytes = decode(raw, PATH_CHAR, fail, what, false);
    if (name === 'id') out.id = bytes;
    else if (name in TEXT_PATH) set[TEXT_PATH[name]!] = text(bytes, fail, what);
    else {
      const v = text(bytes, fail, what);
      if (name === 'type') {
        if (!TYPES.includes(v)) fail(`type is "${v}"; it is one of ${TYPES.join(', ')}`);
        out.type = v as ObjectType;
      } else if (name === 'slot-id') {
        if (!/^\d{1,15}$/.test(v)) fail(`slot-id is "${v}"; it is a decimal number`);
        out.slotId = Number(v);
      } else {
        const m = /^(\d{1,5})(?:\.(\d{1,5}))?$/.exec(v);
        if (!m) fail(`library-version is "${v}"; it is MAJOR or MAJOR.MINOR`);
        out.libraryVersion = { major: Number(m![1]), minor: Number(m![2] ?? 0) };
      }
    }
  }

  for (const [name, raw] of pairs(query, '&', fail, 'query')) {
    if (!QUERY.includes(name))
      fail(
        name in TEXT_PATH || OTHER_PATH.includes(name)
          ? `${name} is a path attribute: it goes before "?", separated by ";"`
          : `docprov does not know the query attribute "${name}" (it knows ${QUERY.join(', ')})`,
      );
    const secret = name === 'pin-value';
    const v = text(decode(raw, QUERY_CHAR, fail, `the value of ${name}`, secret), fail, name);
    if (secret) out.pinValue = new Secret(v);
    else if (name === 'pin-source') out.pinSource = v;
    else if (name === 'module-name') out.moduleName = v;
    else out.modulePath = v;
  }
  if (out.pinValue && out.pinSource !== undefined)
    fail('it has both pin-source and pin-value: give one');
  return out;
}

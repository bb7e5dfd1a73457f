import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { modulePath } from '../src/node/pkcs11/module-path.js';
import { pinSourcePath, resolvePin } from '../src/node/pkcs11/pin.js';
import { Secret } from '../src/node/pkcs11/secret.js';
import { parsePkcs11Uri, redactUri } from '../src/node/pkcs11/uri.js';
import { thrown } from './helpers/errors.js';

// RFC 7512 as docprov reads it: the RFC's own examples parse to what they say, and every kind of
// malformed URI is a plain could-not-run error that says what is wrong, never the PIN.

const V = 'DOCPROV_SIGNING_KEY';
const parse = (s: string) => parsePkcs11Uri(s, V);
const PIN = 'sekret-PIN-8d2c';

describe('RFC 7512 URIs that parse', () => {
  it("the RFC's full example: percent-encoded labels, id bytes, type, path vs query", () => {
    const u = parse(
      'pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;model=1.0;object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91;serial=?pin-source=file:/etc/token_pin',
    );
    expect(u.token).toBe('The Software PKCS#11 Softtoken');
    expect(u.manufacturer).toBe('Snake Oil, Inc.');
    expect(u.model).toBe('1.0');
    expect(u.object).toBe('my-certificate');
    expect(u.type).toBe('cert');
    expect(Buffer.from(u.id!).toString('hex')).toBe('69953e5cf4bdec91');
    expect(u.serial).toBe('');
    expect(u.pinSource).toBe('file:/etc/token_pin');
  });
  it('module-path with slashes in the query, UTF-8 labels, slot and library attributes', () => {
    const u = parse(
      'pkcs11:token=%C3%A9t%C3%A9;slot-id=3;library-version=2.6;slot-description=SoftHSM%20slot;library-manufacturer=SoftHSM?module-path=/usr/lib/softhsm/libsofthsm2.so&module-name=softhsm2',
    );
    expect(u.token).toBe('été');
    expect(u.slotId).toBe(3);
    expect(u.libraryVersion).toEqual({ major: 2, minor: 6 });
    expect(u.slotDescription).toBe('SoftHSM slot');
    expect(u.libraryManufacturer).toBe('SoftHSM');
    expect(u.modulePath).toBe('/usr/lib/softhsm/libsofthsm2.so');
    expect(u.moduleName).toBe('softhsm2');
  });
  it('the scheme is case-insensitive, an empty path and query are allowed, "=" may be in a value', () => {
    expect(parse('PKCS11:').display).toBe('PKCS11:');
    expect(parse('pkcs11:object=a=b').object).toBe('a=b');
    expect(parse('pkcs11:object=x?').object).toBe('x');
  });
  it('a pin-value is held as a Secret and hidden wherever the URI is shown', () => {
    const u = parse(`pkcs11:token=t;object=o?pin-value=${PIN}`);
    expect(u.pinValue!.reveal()).toBe(PIN);
    const shown = [
      u.display,
      JSON.stringify(u),
      inspect(u, { depth: 5 }),
      `${u.pinValue}`,
      String(u.pinValue),
    ].join('\n');
    expect(shown).not.toContain(PIN);
    expect(u.display).toBe('pkcs11:token=t;object=o?pin-value=(hidden)');
    expect(redactUri(`pkcs11:token=t?module-path=/m.so&PIN-VALUE=${PIN}&x=1`)).not.toContain(PIN);
  });
  it('module-path wins over module-name; module-name is found as p11-kit registers modules', () => {
    expect(modulePath(parse('pkcs11:?module-name=softhsm2'), V)).toMatch(/libsofthsm2\.so$/);
    const e = thrown(() => modulePath(parse('pkcs11:?module-name=no-such-module'), V));
    expect(e.code).toBe('pkcs11-module-missing');
    expect(e.message).toContain('p11-kit has no module of that name');
  });
});

describe('malformed URIs: a plain error each, naming what is wrong', () => {
  it.each([
    ['pkcs12:token=x', 'does not start with "pkcs11:"'],
    ['pkcs11:token=a b', 'holds " ", which must be percent-encoded (%20)'],
    ['pkcs11:object=caf\u00e9', 'holds "é", which must be percent-encoded (%C3%A9)'],
    ['pkcs11:object=a/b', 'holds "/", which must be percent-encoded (%2F)'],
    ['pkcs11:token=%4', '"%4", and a "%" must be followed by two hexadecimal digits'],
    ['pkcs11:token=%zz', '"%zz"'],
    ['pkcs11:token=%C3%28', 'the value of token is not UTF-8 once percent-decoded'],
    ['pkcs11:token=a;token=b', 'the attribute token appears twice'],
    ['pkcs11:token=a;;object=b', 'an empty path attribute'],
    ['pkcs11:token=a;', 'an empty path attribute'],
    ['pkcs11:token', 'the path attribute "token" has no "name=value" form'],
    ['pkcs11:objet=publisher', 'docprov does not know the path attribute "objet"'],
    ['pkcs11:x-vendor=1', 'docprov does not know the path attribute "x-vendor"'],
    ['pkcs11:module-path=/m.so', 'module-path is a query attribute: it goes after "?"'],
    ['pkcs11:?token=x', 'token is a path attribute: it goes before "?"'],
    ['pkcs11:?module_path=/m.so', 'docprov does not know the query attribute "module_path"'],
    ['pkcs11:type=key', 'type is "key"; it is one of public, private, cert, secret-key, data'],
    ['pkcs11:slot-id=0x1', 'slot-id is "0x1"; it is a decimal number'],
    ['pkcs11:library-version=2.x', 'library-version is "2.x"; it is MAJOR or MAJOR.MINOR'],
    ['pkcs11:?pin-source=/p&pin-value=1', 'it has both pin-source and pin-value'],
    ['pkcs11:?module-path=/m.so&&pin-source=/p', 'an empty query attribute'],
    ['pkcs11:?module-path=/a;b', 'holds ";", which must be percent-encoded (%3B)'],
    [`pkcs11:object=${'a'.repeat(5000)}`, 'it is longer than 4096 characters'],
  ])('%s', (uri, message) => {
    const e = thrown(() => parse(uri));
    expect(e.code).toBe('bad-pkcs11-uri');
    expect(e.severity).toBe('unusable');
    expect(e.message).toContain(`${V} is not a valid PKCS#11 URI (RFC 7512): `);
    expect(e.message).toContain(message);
    expect(e.hint).toContain('pkcs11:token=');
  });
  it.each([
    [`pkcs11:token=t?pin-value=${PIN} x`, 'the value of pin-value holds a character that must be'],
    [
      `pkcs11:token=t?pin-value=${PIN}%G1`,
      'the value of pin-value holds a "%" that is not followed',
    ],
    [`pkcs11:token=t?pin-value=${PIN}&pin-value=${PIN}`, 'the attribute pin-value appears twice'],
    [`pkcs11:token=t?pin${PIN}`, 'a query attribute has no "name=value" form'],
    [`pkcs11:token=t?pin-value=${PIN}&pin-source=/p`, 'both pin-source and pin-value'],
  ])('an error about the PIN never shows it: %s', (uri, message) => {
    const e = thrown(() => parse(uri));
    expect(e.message).toContain(message);
    expect(`${e.message}\n${e.hint}`).not.toContain(PIN);
    expect(`${e.message}`).not.toContain('8d2c');
  });
});

describe('where the PIN comes from', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'docprov-pin-'));
  it('a file: URI in any of its forms, or a plain path', () => {
    expect(pinSourcePath('file:/run/pin', V)).toBe('/run/pin');
    expect(pinSourcePath('file:///run/pin', V)).toBe('/run/pin');
    expect(pinSourcePath('file://localhost/run/pin', V)).toBe('/run/pin');
    expect(pinSourcePath('/run/pin', V)).toBe('/run/pin');
    expect(pinSourcePath('pin.txt', V)).toBe('pin.txt');
  });
  it('a command or another scheme is refused, plainly', () => {
    for (const s of ['|/usr/bin/getpin', 'https://example.org/pin', 'env:PIN']) {
      const e = thrown(() => pinSourcePath(s, V));
      expect(e.code).toBe('pkcs11-pin-source');
    }
  });
  it("the file's one final line end is not part of the PIN; the PIN never reaches a message", () => {
    const d = dir();
    writeFileSync(join(d, 'pin'), `${PIN}\r\n`);
    const pin = resolvePin(parse(`pkcs11:token=t?pin-source=file:${d}/pin`), V, {});
    expect(pin!.reveal()).toBe(PIN);
    writeFileSync(join(d, 'empty'), '\n');
    const e = thrown(() => resolvePin(parse(`pkcs11:token=t?pin-source=${d}/empty`), V, {}));
    expect(e.message).toBe(`the PIN file ${d}/empty (pin-source of ${V}) cannot be used: empty`);
    const missing = thrown(() => resolvePin(parse(`pkcs11:?pin-source=${d}/none`), V, {}));
    expect(missing.message).toContain('cannot be used: no such file or folder');
  });
  it('without a pin attribute, <VARIABLE>_PIN; else none (a PIN pad may still log in)', () => {
    expect(resolvePin(parse('pkcs11:token=t'), V, { [`${V}_PIN`]: PIN })!.reveal()).toBe(PIN);
    expect(resolvePin(parse('pkcs11:token=t'), V, {})).toBeUndefined();
  });
  it('a Secret prints as (hidden) in every form', () => {
    const s = new Secret(PIN);
    expect([`${s}`, JSON.stringify({ s }), inspect(s)].join(' ')).not.toContain(PIN);
  });
});

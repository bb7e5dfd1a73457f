import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DocprovError } from '../../core/errors.js';
import { fileError, isFileSystemError } from '../files.js';
import { Secret } from './secret.js';
import type { Pkcs11Uri } from './uri.js';

// Where the token's PIN comes from: the URI's pin-value, the file its pin-source names, or the
// variable <VARIABLE>_PIN (as a CI secret store provides it). The PIN itself is never put into a
// message: messages name where it was to come from.

const MAX_PIN_FILE = 1024;

const pinError = (code: string, message: string, hint: string, cause?: unknown) =>
  new DocprovError(code, message, { severity: 'unusable', hint, cause });

/** The path a pin-source names: a file: URI (file:/p, file:///p, file://localhost/p) or a path. */
export function pinSourcePath(source: string, variable: string): string {
  const file = /^file:(?:\/\/(?:localhost)?(?=\/))?(.*)$/i.exec(source);
  if (file) return file[1]!;
  if (source.startsWith('|') || /^[a-z][a-z0-9+.-]*:/i.test(source))
    throw pinError(
      'pkcs11-pin-source',
      `${variable} has a pin-source docprov cannot read (it reads a file: a file: URI or a path)`,
      'put the PIN alone in a file readable only by you, and write pin-source=file:/path/to/pin',
    );
  return source;
}

function readPinFile(path: string, variable: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (!fstatSync(fd).isFile()) throw new Error('not a regular file');
    const buf = Buffer.alloc(MAX_PIN_FILE + 1);
    const n = readSync(fd, buf, 0, buf.length, 0);
    if (n > MAX_PIN_FILE) throw new Error('longer than a PIN');
    // One final line end is the file's, not the PIN's.
    const pin = buf
      .subarray(0, n)
      .toString('utf8')
      .replace(/\r?\n$/, '');
    buf.fill(0);
    if (pin === '') throw new Error('empty');
    return pin;
  } catch (e) {
    const reason = isFileSystemError(e)
      ? fileError(e, 'read', path).message.slice(`cannot read ${path}: `.length)
      : (e as Error).message;
    throw pinError(
      'pkcs11-pin-source',
      `the PIN file ${path} (pin-source of ${variable}) cannot be used: ${reason}`,
      'put the PIN alone in that file (one line), readable by the user that runs docprov',
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The PIN to log in with, or undefined when none is configured (a PIN pad may still do). */
export function resolvePin(
  uri: Pkcs11Uri,
  variable: string,
  env: NodeJS.ProcessEnv,
): Secret | undefined {
  if (uri.pinValue) return uri.pinValue;
  if (uri.pinSource !== undefined)
    return new Secret(readPinFile(pinSourcePath(uri.pinSource, variable), variable));
  const fromEnv = env[`${variable}_PIN`];
  return fromEnv ? new Secret(fromEnv) : undefined;
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { DocprovError } from '../../core/errors.js';
import type { Pkcs11Uri } from './uri.js';

// Which PKCS#11 module (a shared library) to load: module-path as given, or module-name looked up
// as p11-kit registers modules (a <name>.module file whose "module:" line names the library).

const P11_KIT_CONFIG = ['/etc/pkcs11/modules', '/usr/share/p11-kit/modules'];
const P11_KIT_LIBRARIES = [
  `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/pkcs11`,
  '/usr/lib64/pkcs11',
  '/usr/lib/pkcs11',
];

const moduleError = (message: string, hint: string) =>
  new DocprovError('pkcs11-module-missing', message, { severity: 'unusable', hint });

function fromP11Kit(name: string, variable: string): string {
  for (const dir of P11_KIT_CONFIG) {
    const file = join(dir, `${name}.module`);
    if (!existsSync(file)) continue;
    const lib = /^\s*module\s*:\s*(\S+)\s*$/m.exec(readFileSync(file, 'utf8'))?.[1];
    if (!lib) continue;
    if (isAbsolute(lib)) return lib;
    const found = P11_KIT_LIBRARIES.map((d) => join(d, lib)).find((p) => existsSync(p));
    if (found) return found;
  }
  throw moduleError(
    `${variable} names the PKCS#11 module "${name}", and p11-kit has no module of that name (${P11_KIT_CONFIG.map((d) => `${d}/${name}.module`).join(', ')})`,
    'give the library itself with module-path=, e.g. module-path=/usr/lib/softhsm/libsofthsm2.so',
  );
}

/** The path of the module library to load; a missing one is a could-not-run error naming it. */
export function modulePath(uri: Pkcs11Uri, variable: string): string {
  // RFC 7512: module-path, when given, wins over module-name.
  const path =
    uri.modulePath ?? (uri.moduleName ? fromP11Kit(uri.moduleName, variable) : undefined);
  if (path === undefined)
    throw moduleError(
      `${variable} names no PKCS#11 module (module-path or module-name)`,
      "add ?module-path=/path/to/the/vendor's/pkcs11-module.so (SoftHSM2 on Debian: /usr/lib/softhsm/libsofthsm2.so)",
    );
  let ok = false;
  try {
    ok = statSync(path).isFile();
  } catch {
    ok = false;
  }
  if (!ok)
    throw moduleError(
      `the PKCS#11 module ${path} named by ${variable} does not exist or is not a file`,
      "install the token vendor's PKCS#11 library (SoftHSM2: apt-get install softhsm2) and give its path with module-path=",
    );
  return path;
}

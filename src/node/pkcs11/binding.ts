import { createRequire } from 'node:module';
import { DocprovError } from '../../core/errors.js';

// The PKCS#11 binding, pkcs11js: an optional dependency with a native part that npm builds on
// install. An install that could not build it still verifies and signs with PEM keys; only a
// pkcs11: URI needs it, and then its absence is a plain error that names the missing piece.
// Loaded with require() at that moment only: never on start-up, and never inside a bundle
// (scripts/bundle.mjs keeps it external: esbuild cannot pack a .node file).

export const BINDING = 'pkcs11js';
export const BINDING_VERSION = '2.1.7';

export type Handle = Buffer;
export interface Attribute {
  type: number;
  value?: number | boolean | string | Buffer;
}
export interface Mechanism {
  mechanism: number;
  parameter?: Buffer | { type: number; hashAlg: number; mgf: number; saltLen: number };
}
export interface TokenInfo {
  label: string;
  manufacturerID: string;
  model: string;
  serialNumber: string;
  flags: number;
}
export interface SlotInfo {
  slotDescription: string;
  manufacturerID: string;
}
export interface ModuleInfo {
  manufacturerID: string;
  libraryDescription: string;
  libraryVersion: { major: number; minor: number };
}

/** The calls docprov makes: sessions, login, finding objects, reading public attributes, signing. */
export interface Pkcs11Module {
  load(path: string): void;
  close(): void;
  C_Initialize(): void;
  C_Finalize(): void;
  C_GetInfo(): ModuleInfo;
  C_GetSlotList(tokenPresent: boolean): Handle[];
  C_GetSlotInfo(slot: Handle): SlotInfo;
  C_GetTokenInfo(slot: Handle): TokenInfo;
  C_OpenSession(slot: Handle, flags: number): Handle;
  C_CloseSession(session: Handle): void;
  C_Login(session: Handle, userType: number, pin?: string): void;
  C_Logout(session: Handle): void;
  C_FindObjectsInit(session: Handle, template: Attribute[]): void;
  C_FindObjects(session: Handle, max: number): Handle[];
  C_FindObjectsFinal(session: Handle): void;
  C_GetAttributeValue(session: Handle, object: Handle, template: Attribute[]): Attribute[];
  C_SignInit(session: Handle, mechanism: Mechanism, key: Handle): void;
  C_Sign(session: Handle, data: Buffer, out: Buffer): Buffer;
}

export interface Binding {
  PKCS11: new () => Pkcs11Module;
  /** The binding's own tag for RSA-PSS parameters (not a PKCS#11 constant). */
  CK_PARAMS_RSA_PSS: number;
}

/** A PKCS#11 error's CKR_ name and number, when `e` is one (pkcs11js's Pkcs11Error). */
export function ckr(e: unknown): { name: string; code: number } | undefined {
  if (!(e instanceof Error) || e.name !== 'Pkcs11Error') return undefined;
  return { name: e.message, code: (e as Error & { code?: number }).code ?? -1 };
}

const INSTALL_HINT = `npm builds it with node-gyp (a C++ compiler, make and Python 3: apt-get install g++ make python3); in a clone run "npm ci", in a global install "npm install -g --allow-scripts=${BINDING} DOCPROV.tgz", or add it by hand with "npm install ${BINDING}@${BINDING_VERSION}"`;

let loaded: Binding | undefined;

/** The binding, or a could-not-run error saying what is missing and how to get it. */
export function loadBinding(variable: string): Binding {
  if (loaded) return loaded;
  try {
    loaded = createRequire(import.meta.url)(BINDING) as Binding;
    return loaded;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // The package is there but its native part is not: the install skipped or failed the build.
    const unbuilt = /pkcs11\.node|build\/Release|invalid ELF|NODE_MODULE_VERSION/.test(message);
    throw new DocprovError(
      'pkcs11-unavailable',
      unbuilt
        ? `${variable} is a PKCS#11 URI, and the PKCS#11 binding (the optional npm package ${BINDING}) is installed but its native part was not built for this Node.js`
        : `${variable} is a PKCS#11 URI, and the PKCS#11 binding (the optional npm package ${BINDING}) is not installed`,
      {
        severity: 'unusable',
        hint: unbuilt ? `run "npm rebuild ${BINDING}": ${INSTALL_HINT}` : INSTALL_HINT,
        cause: e,
      },
    );
  }
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { PACKAGE_ROOT, packageVersion } from './package-root.js';

// What a build is made from, as one digest: a document whose digest has not changed since its
// folder was published is not built again. Beside each published folder NAME, `.NAME.inputs`
// records the digest and the SHA-256 of the folder's manifest.json, so that a folder replaced or
// edited since (by hand, by a single-document build) is not taken for current.

const require = createRequire(import.meta.url);
export const INPUTS_FORMAT = 'docprov-inputs/1';

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

function jsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((n) => n.endsWith('.js'))
    .sort()
    .map((n) => join(dir, n));
}

// Packages whose code or data shape the artifacts' bytes.
const SHAPING_PACKAGES = [
  '@expo-google-fonts/noto-naskh-arabic',
  '@expo-google-fonts/source-serif-4',
  '@noble/curves',
  '@noble/hashes',
  'harfbuzzjs',
  'hyphenation.en-us',
  'hypher',
  'node-forge',
  'pako',
  'pdf-lib',
];

function installedVersion(name: string): string {
  try {
    const pkg = require.resolve(`${name}/package.json`, { paths: [PACKAGE_ROOT] });
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
}

let code: string | undefined;

/**
 * The code version: docprov's own compiled core and I/O layer (dist/core, dist/node), the schemas,
 * and the versions of the packages that shape the bytes. The fonts and HarfBuzz are inputs of
 * their own (`fonts` in inputDigest), read by whoever builds.
 */
export function codeFingerprint(): string {
  if (code) return code;
  const h = createHash('sha256');
  h.update(`docprov ${packageVersion()}\n`);
  for (const file of [
    ...jsFiles(join(PACKAGE_ROOT, 'dist', 'core')),
    ...jsFiles(join(PACKAGE_ROOT, 'dist', 'node')),
  ])
    h.update(`${file.slice(PACKAGE_ROOT.length)}\n`).update(readFileSync(file));
  for (const name of ['letter-metadata', 'manifest'])
    h.update(readFileSync(join(PACKAGE_ROOT, 'schemas', `${name}.schema.json`)));
  for (const name of SHAPING_PACKAGES) h.update(`${name}@${installedVersion(name)}\n`);
  code = h.digest('hex');
  return code;
}

export interface BuildInputs {
  source: Uint8Array;
  metadata: Uint8Array;
  /** SHA-256 (hex) of each font and WebAssembly module the typesetter reads: see fileDigests. */
  fonts: string[];
  /** The signing certificate chain, DER, signer first: the key is the certificate's key. */
  chain: Uint8Array[];
  /** SOURCE_DATE_EPOCH as given, or undefined (the clock). */
  releaseTime: string | undefined;
  /** Build options that change the bytes (TSA, revocation data, release mode). */
  options: Record<string, unknown>;
}

/** SHA-256 of each of `files`, computed once a run: megabytes of fonts are not hashed a document. */
export function fileDigests(files: Uint8Array[]): string[] {
  return files.map(sha256);
}

/** The digest of everything a build of one document is made from. */
export function inputDigest(inputs: BuildInputs): string {
  const h = createHash('sha256');
  const part = (name: string, value: string) => h.update(`${name} ${value}\n`);
  part('format', INPUTS_FORMAT);
  part('code', codeFingerprint());
  part('source', sha256(inputs.source));
  part('metadata', sha256(inputs.metadata));
  for (const f of inputs.fonts) part('font', f);
  // The chain as a set: whoever names it, in whichever order, names the same key.
  for (const c of inputs.chain.map(sha256).sort()) part('certificate', c);
  part('release-time', inputs.releaseTime ?? 'clock');
  part('options', JSON.stringify(inputs.options, Object.keys(inputs.options).sort()));
  return h.digest('hex');
}

export interface Stamp {
  format: string;
  digest: string;
  /** SHA-256 of the published folder's manifest.json. */
  manifest: string;
}

/** `.NAME.inputs`, beside the published folder NAME. */
export function stampPath(target: string): string {
  const dest = resolve(target);
  return join(dirname(dest), `.${basename(dest)}.inputs`);
}

export function stampText(digest: string, manifestJson: Uint8Array): string {
  const stamp: Stamp = { format: INPUTS_FORMAT, digest, manifest: sha256(manifestJson) };
  return JSON.stringify(stamp) + '\n';
}

function readStamp(target: string): Stamp | undefined {
  try {
    const s = JSON.parse(readFileSync(stampPath(target), 'utf8')) as Stamp;
    return s.format === INPUTS_FORMAT ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `target` holds the build of exactly these inputs: its stamp names the digest, and its
 * manifest.json is the one that build wrote. A publish left half-done (.NAME.new) is not current.
 */
export function isCurrent(target: string, digest: string): boolean {
  const stamp = readStamp(target);
  if (!stamp || stamp.digest !== digest) return false;
  const dest = resolve(target);
  if (existsSync(join(dirname(dest), `.${basename(dest)}.new`))) return false;
  try {
    if (!statSync(dest).isDirectory()) return false;
    return sha256(readFileSync(join(dest, 'manifest.json'))) === stamp.manifest;
  } catch {
    return false;
  }
}

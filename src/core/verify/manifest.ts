import type { ValidateFunction } from 'ajv';
import type { Manifest } from '../manifest/manifest.js';
import type { Certificate } from '../pki/certificate.js';
import { parseJsonWithPositions } from '../metadata/json-source.js';
import type { VerifyContext } from './context.js';
import type { Checks } from './report.js';
import { verifyDetached } from './signed-file.js';

export interface ManifestInput {
  bytes: Uint8Array;
  p7s?: Uint8Array;
  schema: ValidateFunction;
}

const dec = new TextDecoder();

/** A signed manifest: its detached signature, its signer's trust, and its schema. */
export async function verifyManifest(
  input: ManifestInput,
  ctx: VerifyContext,
  c: Checks,
): Promise<{ manifest?: Manifest; signer?: Certificate }> {
  let manifest: Manifest | undefined;
  let signer: Certificate | undefined;
  try {
    manifest = parseJsonWithPositions(dec.decode(input.bytes)).value as Manifest;
  } catch (e) {
    c.fail(
      'manifest-schema',
      'integrity',
      'bad-manifest',
      `manifest.json is not valid JSON: ${(e as Error).message}`,
    );
  }
  if (!input.p7s)
    c.fail(
      'manifest-signature',
      'integrity',
      'missing-signature',
      'manifest.json.p7s is missing: the manifest is not signed',
    );
  else {
    const buildTime = manifest?.buildTime ? new Date(manifest.buildTime) : undefined;
    await verifyDetached(
      'manifest.json',
      input.bytes,
      input.p7s,
      ctx,
      c,
      'manifest-signature',
      buildTime && !Number.isNaN(buildTime.getTime()) ? buildTime : ctx.now,
    );
  }
  if (manifest === undefined) return {};
  const ok = input.schema(manifest);
  c.expect(
    ok,
    'manifest-schema',
    'integrity',
    'manifest.json matches schemas/manifest.schema.json',
    'bad-manifest',
    `manifest.json does not match its schema: ${(input.schema.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`,
  );
  return ok ? { manifest, ...(signer ? { signer } : {}) } : {};
}

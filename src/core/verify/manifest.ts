import type { ValidateFunction } from 'ajv';
import type { Manifest } from '../manifest/manifest.js';
import type { Certificate } from '../pki/certificate.js';
import { parseJsonWithPositions } from '../metadata/json-source.js';
import type { VerifyContext } from './context.js';
import type { Checks } from './report.js';
import type { RevocationSources } from '../pki/revocation.js';
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
  revocation?: RevocationSources,
): Promise<{ manifest?: Manifest; signer?: Certificate; proven?: Date }> {
  const time: { proven?: Date } = {};
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
    signer = await verifyDetached(
      'manifest.json',
      input.bytes,
      input.p7s,
      ctx,
      c,
      'manifest-signature',
      buildTime && !Number.isNaN(buildTime.getTime()) ? buildTime : ctx.now,
      revocation,
      time,
    );
  }
  if (manifest === undefined) return {};
  // The signature must be the signer's the manifest names: a manifest re-signed by someone else
  // (trusted or not) is not what the publisher signed.
  const named = (manifest as Partial<Manifest>).signer?.fingerprint;
  if (signer && named !== signer.fingerprint)
    c.fail(
      'manifest-signature',
      'integrity',
      'signer-mismatch',
      `manifest.json.p7s was made by "${signer.subject}" (${signer.fingerprint}), but the manifest names ${named ?? 'no one'} as its signer`,
    );
  const ok = input.schema(manifest);
  c.expect(
    ok,
    'manifest-schema',
    'integrity',
    'manifest.json matches schemas/manifest.schema.json',
    'bad-manifest',
    `manifest.json does not match its schema: ${(input.schema.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`,
  );
  return ok
    ? { manifest, ...(signer ? { signer } : {}), ...(time.proven ? { proven: time.proven } : {}) }
    : {};
}

import { toBase64 } from '../base64.js';
import type { Manifest } from '../manifest/manifest.js';
import { entryOfManifest, formatEntry } from '../tlog/entry.js';
import { checkInclusion } from '../tlog/inclusion.js';
import { parseVerifierKey, sameKey, type NoteKey } from '../tlog/note.js';
import type { VerifyContext } from './context.js';
import type { Checks, LogPosition } from './report.js';

// The folder's place in the publisher's transparency log, checked offline from the proof it
// carries (manifest.json.tlog-proof): the log entry rebuilt from manifest.json is at the proof's
// index in the tree a trusted log key signed. The log key is the one the signed manifest names,
// unless docprov pins another key for that log (trust/logs/): then the pinned one alone.

export const LOG_PROOF_FILE = 'manifest.json.tlog-proof';

/** The keys a checkpoint may be signed by, or why the manifest's key is refused. */
function trustedLogKeys(
  manifest: Manifest,
  ctx: VerifyContext,
): { keys: NoteKey[]; refused?: string } {
  const pinned = ctx.logKeys ?? [];
  const declared = manifest.log ? parseVerifierKey(ctx.crypto, manifest.log.key) : undefined;
  if (!declared) return { keys: pinned };
  const pins = pinned.filter((k) => k.name === declared.name);
  if (pins.length > 0 && !pins.some((k) => sameKey(k, declared)))
    return {
      keys: pinned,
      refused: `the manifest names a key for the log "${declared.name}" that is not the one docprov trusts for it`,
    };
  return { keys: [...pinned, declared] };
}

export function logInclusionCheck(
  files: ReadonlyMap<string, Uint8Array>,
  manifest: Manifest,
  ctx: VerifyContext,
  c: Checks,
): LogPosition | undefined {
  const proof = files.get(LOG_PROOF_FILE);
  if (!proof) {
    c.skip(
      'log-inclusion',
      'trust',
      'absent',
      `the folder carries no transparency log proof (${LOG_PROOF_FILE}): that this is the only version published is not shown`,
    );
    return undefined;
  }
  const entry = entryOfManifest(ctx.crypto, files.get('manifest.json') ?? new Uint8Array(0));
  if (!entry) {
    c.fail(
      'log-inclusion',
      'integrity',
      'bad-log-proof',
      'the log entry cannot be rebuilt: manifest.json lacks the document id, signer or build time',
    );
    return undefined;
  }
  const trust = trustedLogKeys(manifest, ctx);
  const r = checkInclusion(ctx.crypto, proof, formatEntry(entry), trust.keys);
  if (!r.ok) {
    if (r.untrusted)
      c.fail(
        'log-inclusion',
        'trust',
        'untrusted-log',
        `${LOG_PROOF_FILE}: ${trust.refused ?? r.reason}`,
      );
    else c.fail('log-inclusion', 'integrity', 'bad-log-proof', `${LOG_PROOF_FILE}: ${r.reason}`);
    return undefined;
  }
  if (manifest.log && r.checkpoint.origin !== manifest.log.origin) {
    c.fail(
      'log-inclusion',
      'trust',
      'untrusted-log',
      `${LOG_PROOF_FILE} proves an entry in the log "${r.checkpoint.origin}", and the manifest names the log "${manifest.log.origin}"`,
    );
    return undefined;
  }
  const position: LogPosition = {
    origin: r.checkpoint.origin,
    index: r.index,
    treeSize: r.checkpoint.size,
    root: toBase64(r.checkpoint.root),
  };
  c.pass(
    'log-inclusion',
    'integrity',
    `entry ${r.index} of the transparency log "${position.origin}" is this manifest (the log's checkpoint of ${position.treeSize} entries, signed by its key, proves it)`,
  );
  return position;
}

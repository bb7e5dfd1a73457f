import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedReportVerifies } from './helpers/published.js';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../src/core/pdf/source.js';
import { checkInclusion } from '../src/core/tlog/inclusion.js';
import { openNote, parseVerifierKey } from '../src/core/tlog/note.js';
import { parseTlogProof } from '../src/core/tlog/proof-file.js';
import { parseEntryBundle } from '../src/core/tlog/tiles.js';
import { verifyFolder } from '../src/core/verify/verify.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { loadSchema } from '../src/node/schemas.js';
import { loadLogKeys, loadTrustAnchors } from '../src/node/trust-store.js';
import { ROOT } from './helpers/paths.js';

// The provenance envelope and the log proof come from downloaded folders: every byte of them is
// hostile. Mutated and truncated copies of the published ones are refused with a reason (a failed
// check), never a crash, and cost no more than the genuine ones.

const ID = 'khalaf-2017-03-17';
const FOLDER = join(ROOT, 'artifacts', ID);
const files = () =>
  new Map(
    readdirSync(FOLDER)
      .filter((n) => !n.endsWith('.pdf'))
      .map((n) => [n, new Uint8Array(readFileSync(join(FOLDER, n)))]),
  );
const pdf = new Uint8Array(readFileSync(join(FOLDER, `${ID}.pdf`)));
/** A deterministic stream of numbers (xorshift), so that a failure can be replayed. */
function random(seed: number) {
  let x = seed;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}
const mutations = (bytes: Uint8Array, count: number, seed: number): Uint8Array[] => {
  const r = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const b = bytes.slice(0, i % 5 === 0 ? r(bytes.length) : bytes.length);
    for (let k = 0; k <= r(3) && b.length; k++) {
      const at = r(b.length);
      b[at] = (b[at]! + 1 + r(255)) % 256; // always a different byte
    }
    return b;
  });
};

async function verdictWith(name: string, bytes: Uint8Array) {
  const f = new Map<string, Uint8Array>(files());
  f.set(name, bytes);
  const report = await verifyFolder(
    {
      name: ID,
      files: f,
      pdf: { name: `${ID}.pdf`, source: memorySource(pdf) },
      schema: loadSchema('manifest'),
    },
    {
      crypto: nodeCrypto,
      anchors: loadTrustAnchors(),
      now: new Date('2027-01-01T00:00:00Z'),
      logKeys: loadLogKeys(),
    },
  );
  return report;
}

describe('hostile provenance envelopes and log proofs', () => {
  it('the published folder passes both checks', async () => {
    const r = await verdictWith(
      'manifest.json.tlog-proof',
      files().get('manifest.json.tlog-proof')!,
    );
    expect(publishedReportVerifies(r), r.summary).toBe(true);
    expect(
      r.checks.filter((c) => ['provenance', 'log-inclusion'].includes(c.id)).map((c) => c.status),
    ).toEqual(['pass', 'pass']);
  });
  it('60 mutated or truncated log proofs: each refused by log-inclusion with a reason', async () => {
    for (const bytes of mutations(files().get('manifest.json.tlog-proof')!, 60, 20)) {
      const r = await verdictWith('manifest.json.tlog-proof', bytes);
      const c = r.checks.find((x) => x.id === 'log-inclusion')!;
      expect(c.status).toBe('fail');
      expect(c.message.length).toBeGreaterThan(20);
    }
  });
  it('60 mutated or truncated provenance envelopes: each refused, the statement never trusted', async () => {
    for (const bytes of mutations(files().get('provenance.intoto.json')!, 60, 7)) {
      const r = await verdictWith('provenance.intoto.json', bytes);
      expect(r.verdict).toBe('invalid');
      expect(r.checks.find((x) => x.id === 'provenance')!.status).toBe('fail');
    }
  });
  it('oversized and odd inputs to the parsers are bounded refusals', () => {
    const key = loadLogKeys()[0]!;
    expect(parseTlogProof(new Uint8Array(1 << 20))).toBe('it is over 128 KiB');
    const many = new TextEncoder().encode(
      `c2sp.org/tlog-proof@v1\nindex 0\n${'A'.repeat(43)}=\n`.repeat(1) +
        `${'A'.repeat(43)}=\n`.repeat(100) +
        '\n',
    );
    expect(parseTlogProof(many)).toBe('its inclusion proof is too long');
    expect(openNote(nodeCrypto, new Uint8Array(70_000), [key])).toMatchObject({ ok: false });
    expect(
      openNote(nodeCrypto, new TextEncoder().encode('a\n\n' + '— x AAAAAAAA\n'.repeat(200)), [key]),
    ).toMatchObject({ ok: false, reason: 'it has too many signatures' });
    expect(parseEntryBundle(new Uint8Array([0, 5, 1]))).toBeUndefined();
    expect(parseVerifierKey(nodeCrypto, 'a+b+c')).toBeUndefined();
    expect(
      checkInclusion(
        nodeCrypto,
        new TextEncoder().encode('c2sp.org/tlog-proof@v1\nindex 99999999999999999999\n\n'),
        new Uint8Array(0),
        [key],
      ),
    ).toMatchObject({ ok: false });
  });
});

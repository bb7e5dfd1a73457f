// Long-term files written the way other producers write them (pyHanko's PAdES B-LTA output is
// the model): a DSS whose arrays are indirect objects, with a /VRI dictionary per signature and
// the catalog's ESIC developer extension, then a document timestamp; and an approval signature
// added after a document timestamp. Standards-valid: they must not be refused.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pemBlocks } from '../../src/core/pki/certificate.js';
import { get, type PdfValue } from '../../src/core/pdf/lexer.js';
import { arrayOf, ref, serialize, withEntry } from '../../src/core/pdf/serialize.js';
import { addDocTimestamp } from '../../src/core/sign/doc-timestamp.js';
import { PdfUpdate } from '../../src/core/sign/update.js';
import { timestamperAt } from '../helpers/fake-tsa.js';
import { nodeCrypto } from '../../src/node/crypto.js';
import { signed, type Case, type CaseContext } from './case.js';
import { opensslCms, PDF_DATE } from './openssl-cms.js';
import type { SigFieldOptions } from './sig-field.js';

const name = (value: string): PdfValue => ({ kind: 'name', value, start: 0, end: 0 });
const str = (s: string) => `(${s})`;
const esic = withEntry(
  withEntry(withEntry(undefined, 'Type', name('DeveloperExtensions')), 'BaseVersion', name('1.7')),
  'ExtensionLevel',
  { kind: 'number', value: 1, start: 0, end: 0 } as PdfValue,
);
const num = (r: PdfValue) => (r.kind === 'ref' ? r.num : 0);

/**
 * A DSS update as pyHanko writes one: /Certs, /CRLs and /OCSPs as indirect arrays (extended when
 * they exist), a /VRI entry for the newest signature (key: the SHA-1 of its /Contents, upper-case
 * hex) naming the same streams, and /Extensions << /ESIC ... >> in the catalog.
 */
async function pyhankoDss(
  pdf: Uint8Array,
  certs: Uint8Array[],
  crls: Uint8Array[],
): Promise<Uint8Array> {
  const u = await PdfUpdate.open(pdf);
  const catalog = (await u.catalog())!;
  const old = await u.reader.resolve(get(catalog.value, 'DSS'));
  const streams = (items: Uint8Array[]) =>
    items.map((bytes) => {
      const n = u.newObject();
      u.putStream(n, bytes);
      return ref(n);
    });
  const certRefs = streams(certs);
  const crlRefs = streams(crls);
  const arrayObject = async (key: string, added: PdfValue[]) => {
    const existing = get(old, key);
    const before = await u.reader.resolve(existing);
    const items = [...(before?.kind === 'array' ? before.items : []), ...added];
    const n = existing?.kind === 'ref' ? existing.num : u.newObject();
    u.put(n, arrayOf(items));
    return ref(n);
  };
  // The newest signature's or timestamp's /Contents, as the /VRI key (ISO 32000-2 12.8.4.4).
  const t = Buffer.from(pdf).toString('latin1');
  const br = [...t.matchAll(/\/ByteRange \[0 (\d+) (\d+) \d+\s*\]/g)].at(-1)!;
  const hex = t.slice(Number(br[1]) + 1, Number(br[2]) - 1).replace(/(00)+$/, '');
  const sha1 = createHash('sha1').update(Buffer.from(hex, 'hex')).digest('hex').toUpperCase();
  // One /VRI dictionary, extended with an entry per signature, as pyHanko keeps it.
  const vriRef = get(old, 'VRI');
  const vriOld = await u.reader.resolve(vriRef);
  const vri = vriRef?.kind === 'ref' ? vriRef.num : u.newObject();
  const entries =
    vriOld?.kind === 'dict'
      ? [...vriOld.entries].map(([k, v]) => ` /${k} ${serialize(v)}`).join('')
      : '';
  u.put(
    vri,
    `<<${entries} /${sha1} << /Cert [${certRefs.map((r) => `${num(r)} 0 R`).join(' ')}] /CRL [${crlRefs.map((r) => `${num(r)} 0 R`).join(' ')}] /TU ${str('D:20261120000000Z')} >> >>`,
  );
  let dss = old?.kind === 'dict' ? old : withEntry(undefined, 'Type', name('DSS'));
  dss = withEntry(dss, 'Certs', await arrayObject('Certs', certRefs));
  dss = withEntry(dss, 'CRLs', await arrayObject('CRLs', crlRefs));
  dss = withEntry(dss, 'VRI', ref(vri));
  const dssRef = get(catalog.value, 'DSS');
  const n = dssRef?.kind === 'ref' ? dssRef.num : u.newObject();
  u.put(n, dss);
  u.put(
    catalog.num,
    withEntry(
      withEntry(catalog.value, 'DSS', ref(n)),
      'Extensions',
      // The ESIC developer extension (ETSI EN 319 142-1), as pyHanko registers it with a DSS.
      withEntry(undefined, 'ESIC', esic),
    ),
  );
  return u.bytes();
}

export function longTermCases(ctx: CaseContext): Case[] {
  const rsa = opensslCms(ctx.pkiDir, { signer: 'signer' });
  const approval = (n: number): SigFieldOptions => ({
    fieldName: `Signature${n}`,
    subFilter: 'adbe.pkcs7.detached',
    m: PDF_DATE,
  });
  const pem = (f: string, label?: string) =>
    pemBlocks(readFileSync(join(ctx.pkiDir, f), 'utf8'), label)[0]!;
  const certs = () => ['signer.pem', 'root.pem', 'tsa.pem'].map((f) => pem(f));
  // Issued after every time these files prove (the suite's fresh CRL of the test root).
  const later = () => pem('root-crl-later.pem', 'X509 CRL');
  const stamp = (pdf: Uint8Array, day: string) =>
    addDocTimestamp(
      pdf,
      timestamperAt(ctx.pkiDir, 'tsa', new Date(`${day}T00:00:00Z`)),
      nodeCrypto,
    );
  return [
    {
      name: 'pyhanko-style-b-lta',
      expect: 'authentic',
      why: "PAdES B-LTA as pyHanko writes it: a DSS with indirect arrays and /VRI, the catalog's ESIC extension, a document timestamp, then validation data for its TSA",
      make: async () => {
        const one = await signed(ctx.bases.latex, approval(1), rsa);
        const lt = await pyhankoDss(one, certs(), [later()]);
        return pyhankoDss(await stamp(lt, '2026-11-20'), [], [later()]);
      },
    },
    {
      name: 'approval-after-document-timestamp',
      expect: 'authentic',
      why: 'an approval signature, validation data and a document timestamp, then a second approval signature in a new field: it vouches for what follows the timestamp',
      make: async () => {
        const one = await signed(ctx.bases['latex-classic'], approval(1), rsa);
        const lta = await stamp(await pyhankoDss(one, certs(), [later()]), '2026-11-20');
        return signed(lta, approval(2), rsa);
      },
    },
  ];
}

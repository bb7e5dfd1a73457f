import { buildDetachedCms, type Signer, type Timestamper } from '../cms/build.js';
import type { CryptoProvider } from '../crypto.js';
import { DocprovError } from '../errors.js';
import { get } from '../pdf/lexer.js';
import { ref, withEntry } from '../pdf/serialize.js';
import { placeholder, seal } from './seal.js';
import { PdfUpdate } from './update.js';

// PAdES certification signature (DocMDP P 1), appended as an incremental update: B-B, or B-T
// when a timestamper time-stamps the signature value.

export interface SignPdfOptions {
  signer: Signer;
  /** Signing time, written as /M (CMS carries no signingTime, as PAdES asks). */
  date: Date;
  crypto: CryptoProvider;
  timestamper?: Timestamper;
  /** Name of the signature field. */
  fieldName?: string;
}

const pdfDate = (d: Date) => `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

/** Room for the CMS: its exact size for this chain and key, plus a token, plus slack, in KiB. */
async function contentsReserve(opts: SignPdfOptions): Promise<number> {
  const key = opts.signer.chain[0]!.key;
  // The longest signature value the key can make: RSA's modulus size, or a DER (r, s) pair.
  const longest =
    key.type === 'ec'
      ? 2 * (Math.ceil(key.bits / 8) + 3) + 3
      : Math.ceil((key.type === 'rsa' ? key.bits : 4096) / 8);
  const dry = await buildDetachedCms(
    new Uint8Array(64),
    { ...opts.signer, sign: () => new Uint8Array(longest) },
    opts.crypto,
  );
  const token = opts.timestamper ? opts.timestamper.reserve + 32 : 0;
  return Math.max(8192, Math.ceil((dry.length + token + 1024) / 1024) * 1024);
}

export async function signPdf(base: Uint8Array, opts: SignPdfOptions): Promise<Uint8Array> {
  const u = await PdfUpdate.open(base);
  const catalog = (await u.catalog())!.value;
  if ((await u.fieldCount()) > 0 || get(catalog, 'Perms'))
    throw new DocprovError(
      'already-signed',
      'the PDF already has form fields or signatures; a certification signature must be the first',
      { hint: 'sign the unsigned original' },
    );
  const reserve = await contentsReserve(opts);
  const sig = u.newObject();
  u.put(
    sig,
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (${pdfDate(opts.date)}) ` +
      `/Prop_Build << /App << /Name /docprov >> >> ` +
      `/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 1 /V /1.2 >> >>] ` +
      `${placeholder(reserve)} >>`,
  );
  await u.addSignatureField(sig, opts.fieldName ?? 'docprov-certification', [
    ['Perms', withEntry(undefined, 'DocMDP', ref(sig))],
  ]);
  return seal(u.bytes(), reserve, opts.signer.scheme.hash, opts.crypto, (digest) =>
    buildDetachedCms(digest, opts.signer, opts.crypto, opts.timestamper),
  );
}

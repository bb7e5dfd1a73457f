import type { Timestamper } from '../cms/build.js';
import type { CryptoProvider } from '../crypto.js';
import { placeholder, seal } from './seal.js';
import { PdfUpdate } from './update.js';

// PAdES B-LTA: a document timestamp (ISO 32000-2 12.8.5), an RFC 3161 token over every byte
// before it, in a signature field of its own. A later one renews the proof before the last
// TSA certificate expires.

export async function addDocTimestamp(
  pdf: Uint8Array,
  timestamper: Timestamper,
  crypto: CryptoProvider,
): Promise<Uint8Array> {
  const u = await PdfUpdate.open(pdf);
  const reserve = Math.ceil((timestamper.reserve + 1024) / 1024) * 1024;
  const sig = u.newObject();
  u.put(
    sig,
    `<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 ${placeholder(reserve)} >>`,
  );
  await u.addSignatureField(sig, `docprov-archive-timestamp-${await u.fieldCount()}`);
  return seal(u.bytes(), reserve, 'SHA-256', crypto, (digest) => timestamper.timestamp(digest));
}

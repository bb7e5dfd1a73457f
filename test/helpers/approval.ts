import { buildDetachedCms, type Signer, type Timestamper } from '../../src/core/cms/build.js';
import { timeStampRequest, parseTimeStampResponse } from '../../src/core/tsp/request.js';
import { placeholder, seal } from '../../src/core/sign/seal.js';
import { PdfUpdate } from '../../src/core/sign/update.js';
import { nodeCrypto } from '../../src/node/crypto.js';

// Test-only signing moves docprov itself never makes: an approval signature (no DocMDP), and a
// timestamper that takes whatever a TSA answers, unchecked (as an attacker's tool would).

export async function approvalSign(
  pdf: Uint8Array,
  signer: Signer,
  name: string,
): Promise<Uint8Array> {
  const u = await PdfUpdate.open(pdf);
  const reserve = 12 << 10;
  const sig = u.newObject();
  u.put(
    sig,
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (D:20261201000000Z) ${placeholder(reserve)} >>`,
  );
  await u.addSignatureField(sig, name);
  return seal(u.bytes(), reserve, 'SHA-256', nodeCrypto, (d) =>
    buildDetachedCms(d, signer, nodeCrypto),
  );
}

export function uncheckedTimestamper(url: string): Timestamper {
  return {
    reserve: 16 << 10,
    async timestamp(imprint) {
      const nonce = Uint8Array.from([0x11, 0x22, 0x33, 0x44]);
      const res = await fetch(url, {
        method: 'POST',
        body: Buffer.from(timeStampRequest(imprint, nonce)),
      });
      const token = parseTimeStampResponse(new Uint8Array(await res.arrayBuffer())).token;
      if (!token) throw new Error('no token');
      return token;
    },
  };
}

import { createPrivateKey, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { body, readDer } from '../../src/core/asn1/reader.js';
import { algorithm, int, octets, oid, seq, setOf, tlv } from '../../src/core/asn1/writer.js';
import { OID } from '../../src/core/oids.js';
import { parseCertificate, pemBlocks } from '../../src/core/pki/certificate.js';
import { nodeCrypto } from '../../src/node/crypto.js';
import type { Timestamper } from '../../src/core/cms/build.js';
import { rsaSignedData } from './custom-cms.js';

// A time-stamping authority that openssl would not be: it signs RFC 3161 tokens with any
// identity of the test PKI, so the client's own checks (timeStamping usage) can be tested.

const attr = (type: string, value: Uint8Array) => seq([oid(type), setOf([value])]);
const generalized = (d: Date) =>
  tlv(0x18, new TextEncoder().encode(`${d.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`));

/** An RFC 3161 token over `imprint` (SHA-256) by the test PKI's `identity`, at `genTime`. */
export function tokenBy(
  pkiDir: string,
  identity: string,
  imprint: Uint8Array,
  genTime: Date,
  nonce?: Uint8Array,
): Uint8Array {
  const cert = parseCertificate(
    pemBlocks(readFileSync(join(pkiDir, `${identity}.pem`), 'utf8'))[0]!,
    nodeCrypto,
  );
  const key = createPrivateKey(readFileSync(join(pkiDir, `${identity}.key`)));
  const tst = seq([
    int(1),
    oid('1.3.6.1.4.1.55555.1.1'),
    seq([algorithm(OID.sha256, new Uint8Array([5, 0])), octets(imprint)]),
    int(7),
    generalized(genTime),
    ...(nonce ? [int(nonce)] : []),
  ]);
  const essId = seq([octets(new Uint8Array(createHash('sha256').update(cert.der).digest()))]);
  const attrs = [
    attr(OID.contentType, oid(OID.tstInfo)),
    attr(OID.messageDigest, octets(new Uint8Array(createHash('sha256').update(tst).digest()))),
    attr(OID.signingCertificateV2, seq([seq([essId])])),
  ];
  return rsaSignedData({
    attrs,
    key,
    cert,
    certs: [cert],
    content: { type: OID.tstInfo, bytes: tst },
  });
}

/** A timestamper in this process that stamps with `identity` at the time `at` gives. */
export function timestamperAt(pkiDir: string, identity: string, at: Date): Timestamper {
  return {
    reserve: 8192,
    timestamp: async (imprint) => tokenBy(pkiDir, identity, imprint, at),
  };
}

export async function fakeTsa(
  pkiDir: string,
  identity: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const q = new Uint8Array(Buffer.concat(parts));
      const root = readDer(q);
      const imprint = body(q, root.children[1]!.children[1]!);
      const nonce = body(
        q,
        root.children.find((c, i) => i > 1 && c.tag === 0x02)!,
      );
      const token = tokenBy(pkiDir, identity, imprint, new Date(), nonce);
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
      res.end(Buffer.from(seq([seq([int(0)]), token])));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

import { algorithm, concat, int, nul, oid, seq, setOf, tlv, type Der } from '../asn1/writer.js';
import { pssParams, type Signer } from '../cms/build.js';
import { DocprovError } from '../errors.js';
import { OID } from '../oids.js';

// A PKCS#10 certification request (RFC 2986), signed by the key itself: what a CA asks for to
// issue a certificate for a key that cannot leave its token (the signature proves possession).

const NAMES: Record<string, { oid: string; tag: number }> = {
  C: { oid: '2.5.4.6', tag: 0x13 },
  ST: { oid: '2.5.4.8', tag: 0x0c },
  L: { oid: '2.5.4.7', tag: 0x0c },
  O: { oid: '2.5.4.10', tag: 0x0c },
  OU: { oid: '2.5.4.11', tag: 0x0c },
  CN: { oid: '2.5.4.3', tag: 0x0c },
  serialNumber: { oid: '2.5.4.5', tag: 0x13 },
  emailAddress: { oid: '1.2.840.113549.1.9.1', tag: 0x16 },
};

const subjectError = (message: string) =>
  new DocprovError('bad-subject', message, {
    severity: 'unusable',
    hint: 'write the subject as openssl does: "/C=LB/O=Publisher/CN=Publisher signing key" (a "/" inside a value as "\\/")',
  });

/** An openssl-style subject ("/O=x/CN=y") as a DER Name, in the order given. */
export function subjectName(subject: string): Der {
  if (!subject.startsWith('/'))
    throw subjectError(`the subject "${subject}" does not start with "/"`);
  const parts = subject
    .slice(1)
    .split(/(?<!\\)\//)
    .map((p) => p.replace(/\\\//g, '/'));
  const rdns = parts.map((part) => {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    const name = NAMES[key];
    if (eq <= 0 || !name)
      throw subjectError(
        `"${part}" in the subject is not TYPE=value with a type docprov knows (${Object.keys(NAMES).join(', ')})`,
      );
    if (value === '') throw subjectError(`${key} in the subject is empty`);
    if (name.tag !== 0x0c && !/^[\x20-\x7e]*$/.test(value))
      throw subjectError(`${key} in the subject must be ASCII`);
    if (key === 'C' && !/^[A-Z]{2}$/.test(value))
      throw subjectError(`C in the subject is "${value}"; it is a two-letter country code`);
    return setOf([seq([oid(name.oid), tlv(name.tag, new TextEncoder().encode(value))])]);
  });
  return seq(rdns);
}

const SIGNATURE_OIDS: Record<string, string> = {
  'SHA-256': OID.sha256WithRSA,
  'SHA-384': '1.2.840.113549.1.1.12',
  'SHA-512': '1.2.840.113549.1.1.13',
};
const ECDSA_OIDS: Record<string, string> = {
  'SHA-256': OID.ecdsaWithSha256,
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
};

/** X.509's signature AlgorithmIdentifier (which, unlike CMS's, names the hash for RSA too). */
function x509Algorithm(s: Signer['scheme']): Der {
  if (s.kind === 'ecdsa') return algorithm(ECDSA_OIDS[s.hash]!);
  if (s.kind === 'rsa-pss') return algorithm(OID.rsassaPss, pssParams(s.hash, s.saltLength));
  return algorithm(SIGNATURE_OIDS[s.hash]!, nul());
}

/** The DER CertificationRequest for `spki`, signed by `signer`. */
export function buildCsr(
  subject: Der,
  spki: Uint8Array,
  signer: Pick<Signer, 'scheme' | 'sign'>,
): Uint8Array {
  // attributes [0] IMPLICIT SET OF Attribute: none.
  const info = seq([int(0), subject, spki, tlv(0xa0, new Uint8Array(0))]);
  const signature = signer.sign(info);
  return seq([
    info,
    x509Algorithm(signer.scheme),
    tlv(0x03, concat([new Uint8Array([0]), signature])),
  ]);
}

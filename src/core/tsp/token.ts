import {
  Asn1Error,
  body,
  child,
  oidOf,
  readDer,
  smallInt,
  TAG,
  timeOf,
  type Tlv,
} from '../asn1/reader.js';
import { checkSigner, signerDigest, type SignerFindings } from '../cms/check-signer.js';
import { CmsError, parseSignedData, type SignedData } from '../cms/signed-data.js';
import { digest, sameBytes, toHex, type CryptoProvider, type DigestAlgorithm } from '../crypto.js';
import { OID } from '../oids.js';
import { DIGESTS } from '../pki/algorithms.js';

// An RFC 3161 time-stamp token: a CMS SignedData whose content is a TSTInfo saying that a hash
// (the message imprint) existed at genTime, signed by a time-stamping authority.

export interface TstInfo {
  policy: string;
  hash: DigestAlgorithm;
  imprint: Uint8Array;
  serial: string;
  genTime: Date;
  nonce?: string;
}

export interface TimestampFindings {
  sd: SignedData;
  tst: TstInfo;
  signer: SignerFindings;
  /** The imprint equals the expected one (the hash of what the token is for). */
  imprintOk: boolean;
  /** Everything about the token itself holds (signature, imprint, content type, ESS binding). */
  ok: boolean;
  problems: string[];
}

function tstInfo(der: Uint8Array): TstInfo {
  const root = readDer(der);
  if (smallInt(der, root.children[0], 'the TSTInfo version') !== 1)
    throw new Asn1Error('TSTInfo version is not 1');
  const policy = oidOf(der, root.children[1], 'the TSA policy');
  const mi = child(root, 2, TAG.SEQUENCE, 'the message imprint');
  const hashOid = oidOf(der, mi.children[0]?.children[0], 'the imprint hash algorithm');
  const hash = DIGESTS[hashOid];
  if (!hash) throw new Asn1Error(`the imprint hash ${hashOid} is not accepted (SHA-256/384/512)`);
  const imprint = body(der, child(mi, 1, TAG.OCTET_STRING, 'the hashed message'));
  const serial = toHex(body(der, child(root, 3, TAG.INTEGER, 'the serial number')));
  const genTime = timeOf(der, root.children[4], 'genTime');
  let nonce: string | undefined;
  for (const c of root.children.slice(5)) if (c.tag === TAG.INTEGER) nonce = toHex(body(der, c));
  return {
    policy,
    hash,
    imprint: new Uint8Array(imprint),
    serial,
    genTime,
    ...(nonce !== undefined ? { nonce } : {}),
  };
}

/** Parses a token and checks it: its signature, its ESS binding, and (if given) its imprint. */
export async function checkTimestampToken(
  token: Uint8Array,
  crypto: CryptoProvider,
  expected?: { data: Uint8Array } | { digestOf: (alg: DigestAlgorithm) => Uint8Array },
): Promise<TimestampFindings> {
  const sd = parseSignedData(token, crypto);
  if (sd.contentType !== OID.tstInfo || !sd.content)
    throw new CmsError('the time-stamp token does not hold a TSTInfo');
  if (sd.signerInfos.length !== 1)
    throw new CmsError('the time-stamp token must have exactly one signer');
  const si = sd.signerInfos[0]!;
  const tst = tstInfo(sd.content);
  const alg = signerDigest(si).algorithm;
  const signer = await checkSigner(
    sd,
    si,
    { digest: alg ? digest(crypto, alg, sd.content) : undefined, bytes: async () => sd.content },
    crypto,
    OID.tstInfo,
  );
  const want = expected
    ? 'data' in expected
      ? digest(crypto, tst.hash, expected.data)
      : expected.digestOf(tst.hash)
    : undefined;
  const imprintOk = want ? sameBytes(want, tst.imprint) : true;
  const problems = [...signer.problems];
  if (!imprintOk) problems.push('its message imprint is not the hash of what it should time-stamp');
  if (!signer.signature.ok) problems.push('its signature does not verify');
  if (signer.refusedDigest || signer.signature.policy)
    problems.push(`refused by policy: it uses ${signer.refusedDigest ?? signer.signature.policy}`);
  if (signer.messageDigest !== 'ok')
    problems.push('its signed message digest does not match its TSTInfo');
  if (signer.signingCertificate.status !== 'ok')
    problems.push(
      signer.signingCertificate.status === 'absent'
        ? 'it lacks the signing-certificate attribute RFC 3161 requires'
        : 'its signing-certificate attribute names another certificate',
    );
  if (!signer.signer) problems.push("the TSA's certificate is not in the token");
  // Nothing the TSA signed may ride beside the token unsigned.
  if (si.unsignedAttributes.length)
    problems.push(
      `its signer carries unsigned attributes (${si.unsignedAttributes.map((a) => a.oid).join(', ')}) that nothing signs`,
    );
  return { sd, tst, signer, imprintOk, ok: problems.length === 0, problems };
}

/** The hash a token's TSTInfo stamps with, or undefined when it cannot be read. */
export function tstHashOf(sd: SignedData): DigestAlgorithm | undefined {
  try {
    return sd.contentType === OID.tstInfo && sd.content ? tstInfo(sd.content).hash : undefined;
  } catch {
    return undefined;
  }
}

/** A token's genTime, or undefined when `sd` is not a readable token. */
export function tstTime(sd: SignedData): Date | undefined {
  try {
    return sd.contentType === OID.tstInfo && sd.content ? tstInfo(sd.content).genTime : undefined;
  } catch {
    return undefined;
  }
}

/** The token inside a signature's unsigned attribute (a ContentInfo). */
export const tokenBytes = (der: Uint8Array, value: Tlv): Uint8Array =>
  new Uint8Array(der.subarray(value.start, value.end));

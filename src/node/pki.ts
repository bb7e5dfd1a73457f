import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

// Issues X.509 certificates: the local development CA, and the test suite's throw-away PKI.

export interface Name {
  commonName: string;
  organizationName?: string;
  countryName?: string;
}

export interface IssueOptions {
  subject: Name;
  publicKeyPem: string;
  /** The issuer's certificate and key; omitted for a self-signed root. */
  issuer?: { certPem: string; keyPem: string };
  /** Self-signed roots sign with their own key. */
  selfKeyPem?: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  ca?: { pathLen?: number };
  keyUsage?: { digitalSignature?: boolean; nonRepudiation?: boolean };
  extKeyUsage?: string[];
}

// forge writes every name as PrintableString, which cannot hold other characters: such a name
// is written as UTF8String instead (forge would otherwise write invalid DER).
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const attr = (shortName: string, value: string) =>
  PRINTABLE.test(value)
    ? { shortName, value }
    : { shortName, value, valueTagClass: forge.asn1.Type.UTF8 as number };

const attrs = (n: Name) =>
  [
    n.countryName ? attr('C', n.countryName) : undefined,
    n.organizationName ? attr('O', n.organizationName) : undefined,
    attr('CN', n.commonName),
  ].filter((a) => a !== undefined);

export function newRsaKey(bits = 3072): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicExponent: 65537,
  });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function issueCertificate(o: IssueOptions): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(o.publicKeyPem);
  cert.serialNumber = o.serial;
  cert.validity.notBefore = o.notBefore;
  cert.validity.notAfter = o.notAfter;
  cert.setSubject(attrs(o.subject));
  const issuerCert = o.issuer ? forge.pki.certificateFromPem(o.issuer.certPem) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : attrs(o.subject));
  const exts: object[] = [];
  if (o.ca) {
    exts.push({
      name: 'basicConstraints',
      critical: true,
      cA: true,
      ...(o.ca.pathLen !== undefined ? { pathLenConstraint: o.ca.pathLen } : {}),
    });
    exts.push({ name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true });
  } else {
    exts.push({ name: 'basicConstraints', critical: true, cA: false });
    if (o.keyUsage) exts.push({ name: 'keyUsage', critical: true, ...o.keyUsage });
  }
  if (o.extKeyUsage?.length)
    exts.push({ name: 'extKeyUsage', ...Object.fromEntries(o.extKeyUsage.map((k) => [k, true])) });
  exts.push({ name: 'subjectKeyIdentifier' });
  if (issuerCert) {
    const ski = issuerCert.generateSubjectKeyIdentifier().getBytes();
    exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: ski });
  }
  cert.setExtensions(exts);
  const signingKey = forge.pki.privateKeyFromPem(o.issuer?.keyPem ?? o.selfKeyPem!);
  cert.sign(signingKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

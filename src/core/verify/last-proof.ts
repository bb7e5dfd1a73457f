import type { Report, SignerInfo } from './report.js';

// How long a published document's proof lasts: until the certificate behind its newest proof
// expires (the newest document timestamp's TSA; else the signature timestamp's TSA; else, for
// a PAdES B-B signature, the signer's own certificate). Renewal must come before that.

export interface LastProof {
  until: Date;
  /** What the proof is, in words. */
  what: string;
  certificate: SignerInfo;
}

export function lastProof(report: Report): LastProof | undefined {
  const sigs = report.signatures ?? [];
  const stamp = [...sigs]
    .reverse()
    .find((s) => s.kind === 'document-timestamp' && s.intact && s.provenTime && s.signer);
  if (stamp)
    return {
      until: new Date(stamp.signer!.notAfter),
      what: 'the newest document timestamp',
      certificate: stamp.signer!,
    };
  const sig = sigs.find((s) => s.kind === 'signature' && s.timestampAuthority);
  if (sig)
    return {
      until: new Date(sig.timestampAuthority!.notAfter),
      what: 'the signature timestamp',
      certificate: sig.timestampAuthority!,
    };
  const signer = report.signer;
  return signer
    ? {
        until: new Date(signer.notAfter),
        what: 'the signature (no timestamp)',
        certificate: signer,
      }
    : undefined;
}

// Hostile signatures in an otherwise well-formed signed PDF: a /ByteRange that asks to hash the
// file 50,000 times, and CMS blobs that attack the DER reader.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillSignature } from '../interop/fill-signature.js';
import { addSignatureField } from '../interop/sig-field.js';
import { pdfCase, type HostileCase } from './case.js';
import { indefiniteNesting, manyExtensions, nestedSets } from './der-bombs.js';
import { signatureShell, tinyDocument } from './raw-pdf.js';

/** A one-page PDF with a signature whose /Contents holds `cms`, its /ByteRange exact. */
function signedWith(name: string, why: string, cms: () => Uint8Array): HostileCase {
  return {
    name,
    why,
    expect: 'invalid',
    make: async (dir) => {
      const blob = cms();
      const file = join(dir, `${name}.pdf`);
      const f = await addSignatureField(tinyDocument(), {
        fieldName: 'Signature1',
        subFilter: 'adbe.pkcs7.detached',
        contentsDigits: blob.length * 2,
      });
      writeFileSync(
        file,
        fillSignature(f.bytes, () => blob),
      );
      return { file, args: [file] };
    },
  };
}

/** 50,000 /ByteRange pairs, each the whole file: hashing before checking the shape costs 25 GB. */
function overlappingRanges(): Uint8Array {
  const pairs = '0 LLLLLLL '.repeat(50_000);
  const pdf = signatureShell();
  pdf.obj(
    5,
    '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached ',
    `/ByteRange [${pairs}] /Contents <${'0'.repeat(512)}> >>`,
  );
  const bytes = pdf.end(pdf.xrefTable('/Root 1 0 R'));
  const text = Buffer.from(bytes).toString('latin1');
  return new Uint8Array(
    Buffer.from(text.replaceAll('LLLLLLL', String(bytes.length).padStart(7, '0')), 'latin1'),
  );
}

export function sigCases(): HostileCase[] {
  return [
    pdfCase(
      'byterange-overlapping-50k',
      'a /ByteRange of 50,000 pairs, each covering the whole file',
      overlappingRanges,
    ),
    pdfCase(
      'byterange-keys-200k',
      'no cross-reference, 6.8 MB of "<</ByteRange [0 1 2 3] /Contents <" for the repair scan',
      () =>
        new Uint8Array(
          Buffer.from('%PDF-1.7\n' + '<</ByteRange [0 1 2 3] /Contents <'.repeat(200_000)),
        ),
    ),
    signedWith(
      'cms-nested-sets-10000',
      'a CMS whose digestAlgorithms nest 10,000 SETs (definite lengths)',
      () => nestedSets(10_000),
    ),
    signedWith('cms-indefinite-1000', 'a BER CMS with indefinite lengths nested 1,000 deep', () =>
      indefiniteNesting(1_000),
    ),
    signedWith(
      'cert-100k-extensions',
      'a certificate with 100,000 extensions in the CMS (1.1 MB of DER)',
      () => manyExtensions(100_000),
    ),
  ];
}

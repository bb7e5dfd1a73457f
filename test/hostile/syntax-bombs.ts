// Hostile PDF syntax: tokens and nesting a lexer or a recursive parser must bound, written into
// the signature dictionary every verifier reads, and object graphs with cycles a walker must not
// follow forever. Each file is about 1 MB or less.
import { pdfCase, type HostileCase } from './case.js';
import { RawPdf, signatureDocument, signatureShell, tinyDocument } from './raw-pdf.js';

const MB = 1 << 20;

export function syntaxCases(): HostileCase[] {
  return [
    pdfCase(
      'number-1m-digits-in-byterange',
      'a 1,000,000-digit number inside the /ByteRange array',
      () => signatureDocument('', `0 ${'7'.repeat(1_000_000)} 20 30`),
    ),
    pdfCase(
      'number-1m-digits',
      'a 1,000,000-digit number in the signature dictionary (a lexer that rescans tokens is quadratic)',
      () => signatureDocument(`/N ${'7'.repeat(1_000_000)}`),
    ),
    pdfCase(
      'deep-arrays-500k',
      '500,000 nested arrays in the signature dictionary (recursion depth)',
      () => signatureDocument(`/Deep ${'['.repeat(500_000)}${']'.repeat(500_000)}`),
    ),
    pdfCase('deep-dicts-100k', '100,000 nested dictionaries in the signature dictionary', () =>
      signatureDocument(`/Deep ${'<< /A '.repeat(100_000)}${'>> '.repeat(100_000)}`),
    ),
    pdfCase('name-1mb', 'a name of 1 MB as a key of the signature dictionary', () =>
      signatureDocument(`/${'N'.repeat(MB)} 1`),
    ),
    pdfCase(
      'hex-string-1mb-unclosed',
      'a hex string of 1 MB never closed, to the end of the file (no xref, no trailer)',
      () => {
        const pdf = new RawPdf();
        pdf.add('1 0 obj\n<< /Type /Catalog /X <', 'A'.repeat(MB));
        return pdf.bytes();
      },
    ),
    pdfCase(
      'literal-parens-1mb',
      'a literal string of 1 MB of balanced nested parentheses as the signature /Name',
      () => signatureDocument(`/Name ${'('.repeat(MB / 2)}${')'.repeat(MB / 2)}`),
    ),
    pdfCase(
      'sig-values-ref-loop',
      "the signature's /ByteRange and /Contents are references that resolve back to themselves",
      () => {
        const pdf = signatureShell();
        pdf.obj(
          5,
          '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange 6 0 R /Contents 7 0 R >>',
        );
        pdf.obj(6, '7 0 R');
        pdf.obj(7, '6 0 R');
        return pdf.end(pdf.xrefTable('/Root 1 0 R'));
      },
    ),
    pdfCase(
      'pages-kids-loop',
      'the page tree contains itself: /Kids of the root /Pages points back at it',
      () => {
        const pdf = new RawPdf();
        pdf.obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
        pdf.obj(2, '<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>');
        pdf.obj(3, '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>');
        return pdf.end(pdf.xrefTable('/Root 1 0 R'));
      },
    ),
    pdfCase(
      'acroform-kids-loop',
      'a signature field whose /Kids contains itself, and a /Parent cycle',
      () =>
        tinyDocument('/AcroForm << /Fields [4 0 R] /SigFlags 3 >>', [
          [4, ['<< /FT /Sig /T (a) /Kids [4 0 R 5 0 R] /Parent 5 0 R >>']],
          [5, ['<< /FT /Sig /T (b) /Kids [4 0 R] /Parent 4 0 R /V 6 0 R >>']],
          [
            6,
            [
              '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] /Contents <00> >>',
            ],
          ],
        ]),
    ),
  ];
}

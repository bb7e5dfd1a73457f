// pdf-lib's single-file build: one module to load instead of 136 (about 0.1 s instead of 0.22 s).
declare module 'pdf-lib/dist/pdf-lib.min.js' {
  import * as PdfLib from 'pdf-lib';
  const pdfLib: typeof PdfLib;
  export default pdfLib;
}

// pako's inflate half alone (the verifier never deflates): the same class as pako.Inflate.
declare module 'pako/lib/inflate.js' {
  import pako from 'pako';
  export const Inflate: typeof pako.Inflate;
}

// The sources a docprov PDF carries (PDF/A-3 style attached files), read only after the
// signature checks pass: by then these are bytes the signer signed.

export async function attachedFiles(
  pdf: Uint8Array,
): Promise<{ files: Map<string, Uint8Array>; title: string | undefined }> {
  // Loaded on demand: verifying a large PDF never needs pdf-lib (about 0.3 s to load).
  const {
    decodePDFRawStream,
    PDFArray,
    PDFDict,
    PDFDocument,
    PDFName,
    PDFRawStream,
    PDFString,
    PDFHexString,
  } = await import('../pdf-lib.js');
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, throwOnInvalidObject: true });
  const files = new Map<string, Uint8Array>();
  const names = doc.catalog
    .lookupMaybe(PDFName.of('Names'), PDFDict)
    ?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict)
    ?.lookupMaybe(PDFName.of('Names'), PDFArray);
  for (let i = 0; names && i + 1 < names.size(); i += 2) {
    const spec = names.lookup(i + 1, PDFDict);
    const fname =
      spec.lookupMaybe(PDFName.of('UF'), PDFString, PDFHexString) ??
      spec.lookupMaybe(PDFName.of('F'), PDFString, PDFHexString);
    const ref = spec.lookupMaybe(PDFName.of('EF'), PDFDict)?.get(PDFName.of('F'));
    const raw = ref ? doc.context.lookup(ref) : undefined;
    if (fname && raw instanceof PDFRawStream)
      files.set(fname.decodeText(), decodePDFRawStream(raw).decode());
  }
  return { files, title: doc.getTitle() };
}

import pdfLib from 'pdf-lib/dist/pdf-lib.min.js';
import type * as PdfLib from 'pdf-lib';

// pdf-lib through its single-file build (the same API and version, one file to load and parse).
export const {
  AFRelationship,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFString,
  decodePDFRawStream,
} = pdfLib;
export type PDFContext = PdfLib.PDFContext;
export type PDFDocument = PdfLib.PDFDocument;
export type PDFRef = PdfLib.PDFRef;
export type PDFDict = PdfLib.PDFDict;

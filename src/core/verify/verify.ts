// The verifier's public surface: a PDF, a downloaded folder, a text copy. Pure: I/O is injected.
export type { VerifyContext } from './context.js';
export { verifyPdfFile, type PdfInput } from './pdf-file.js';
export { verifyFolder, type FolderInput } from './folder.js';
export { verifyTextCopy, type TextInput } from './text-copy.js';

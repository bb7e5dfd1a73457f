import { PDFName, PDFString, type PDFContext, type PDFDict } from '../pdf-lib.js';
import { SRGB_CONDITION, srgbProfile } from './srgb-profile.js';

// PDF/A-3b (ISO 19005-3) beyond what the rest of the typesetter already does (fonts embedded,
// XMP, file identifier, attachments with /AFRelationship): an output intent that says how the
// page's colours are meant, with the sRGB profile embedded.

export function addOutputIntent(ctx: PDFContext, catalog: PDFDict): void {
  const profile = ctx.register(ctx.flateStream(srgbProfile(), { N: 3 }));
  const intent = ctx.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of(SRGB_CONDITION),
    Info: PDFString.of(SRGB_CONDITION),
    RegistryName: PDFString.of('http://www.color.org'),
    DestOutputProfile: profile,
  });
  catalog.set(PDFName.of('OutputIntents'), ctx.obj([intent]));
}

import {
  AFRelationship,
  PDFDocument,
  PDFHexString,
  PDFName,
  type PDFDict,
  type PDFRef,
} from '../pdf-lib.js';
import { digest, toHex, type CryptoProvider } from '../crypto.js';
import type { Letter } from '../letter/types.js';
import type { LetterMetadata } from '../metadata/types.js';
import { NORMALISATION_RULES } from '../normalise/normalise.js';
import { hasRtl, isRtlCodePoint } from './bidi.js';
import { textLine, measureLine } from './content.js';
import { EmbeddedFont } from './embed-font.js';
import { checkGlyphs } from './glyph-check.js';
import { justify } from './justify.js';
import { paginate, paragraphBlock, type Block, type LayoutLine } from './layout.js';
import { mixedLineWidth, mixedTextLine, type Face } from './mixed-line.js';
import { setParagraph } from './paragraph.js';
import { sharedHyphenation } from './hyphenate.js';
import { fontMetrics } from './font-metrics.js';
import { openFont, type HarfBuzzWasm } from './harfbuzz.js';
import { loadSubsetting } from './hb/instantiate.js';
import { subsetGlyphs } from './hb/subset.js';
import { Shaper } from './shaper.js';
import { FOOTER_ARTIFACT, StructureTree } from './structure.js';
import { addOutputIntent } from './pdfa.js';
import { MEASURE, STYLE } from './style.js';
import { typographic } from './typographic.js';
import { xmpPacket } from './xmp.js';
import { layoutOf, type Layout } from '../text/compare.js';

export interface TypesetInput {
  letter: Letter;
  metadata: LetterMetadata;
  /** The canonical text and canonical metadata, attached to the PDF as its sources. */
  canonicalText: Uint8Array;
  canonicalMetadata: Uint8Array;
  /** A TrueType font (the body face). */
  font: Uint8Array;
  /**
   * A TrueType font for right-to-left names (Arabic script) in the single lines of a letter: the
   * dateline, salutation, close, signature and addressee blocks. Body paragraphs stay in the body face.
   */
  rtlFont?: Uint8Array;
  /** HarfBuzz's WebAssembly, which shapes the text and subsets the font. */
  harfbuzz: HarfBuzzWasm;
  /** The date written into the PDF (SOURCE_DATE_EPOCH or one derived from the sources). */
  date: Date;
  /** e.g. "docprov 0.1.0": written as Creator and Producer, so it is part of the build's identity. */
  tool: string;
}

const enc = new TextEncoder();

function blocks(letter: Letter, shaper: Shaper): Block[] {
  const { size, space } = STYLE;
  const single = (text: string, align: LayoutLine['align'] = 'left'): LayoutLine => ({
    words: text.split(' '),
    align,
  });
  // Each block is an element of the structure tree, in reading order, with its role.
  const out: Block[] = [
    {
      role: 'Dateline',
      lines: [single(letter.dateline.value.text, 'right')],
      spaceBefore: 0,
      keepTogether: true,
      keepWithNext: true,
    },
    {
      role: 'Salutation',
      lines: [single(typographic(letter.salutation.value))],
      spaceBefore: space.salutation,
      keepTogether: true,
      keepWithNext: true,
    },
  ];
  const hyphenation = sharedHyphenation();
  for (const p of letter.body)
    out.push(
      paragraphBlock(
        setParagraph(typographic(p.value), shaper, size, MEASURE, hyphenation),
        space.paragraph,
      ),
    );
  const sig = letter.signature.value;
  const to = letter.addressee.value;
  out.push(
    {
      role: 'Closing',
      lines: [single(typographic(letter.close.value))],
      spaceBefore: space.close,
      keepTogether: true,
      keepWithNext: true,
    },
    {
      role: 'Signature',
      lineRole: 'P',
      lines: [single(sig.name), ...sig.lines.map((l) => single(l))],
      spaceBefore: space.signature,
      keepTogether: true,
      keepWithNext: false,
    },
    {
      role: 'Addressee',
      lineRole: 'P',
      lines: [
        single(to.honorific ? `${to.honorific} ${to.name}` : to.name),
        ...to.lines.map((l) => single(l)),
      ],
      spaceBefore: space.addressee,
      keepTogether: true,
      keepWithNext: false,
    },
  );
  return out;
}

/** What is printed, by source line; `single` for the lines set whole (where a right-to-left run may stand). */
function printedPieces(letter: Letter): { text: string; line: number; single: boolean }[] {
  const sig = letter.signature;
  const to = letter.addressee;
  const single = (text: string, line: number) => ({ text, line, single: true });
  return [
    single(letter.dateline.value.text, letter.dateline.line),
    single(typographic(letter.salutation.value), letter.salutation.line),
    ...letter.body.map((p) => ({ text: typographic(p.value), line: p.line, single: false })),
    single(typographic(letter.close.value), letter.close.line),
    ...[sig.value.name, ...sig.value.lines].map((text, i) => single(text, sig.line + i)),
    ...[`${to.value.honorific ?? ''} ${to.value.name}`, ...to.value.lines].map((text, i) =>
      single(text, to.line + i),
    ),
  ];
}

export interface Typeset {
  pdf: Uint8Array;
  /** Where the PDF's pages and line-end hyphens fall: text copies are judged with it. */
  layout: Layout;
}

/** Typesets the letter: the same inputs give the same bytes, on every run and machine. */
export async function typesetLetter(input: TypesetInput, crypto: CryptoProvider): Promise<Typeset> {
  const { letter, metadata } = input;
  // hb-subset compiles while the text is shaped and set.
  const subsetter = loadSubsetting(input.harfbuzz.subset);
  subsetter.catch(() => undefined); // awaited below: an earlier error must not leave it unhandled
  const hbFont = await openFont(input.harfbuzz, input.font);
  const shaper = Shaper.for(hbFont, {
    script: 'Latn',
    direction: 'ltr',
    language: metadata.language,
  });
  // Right-to-left runs of the single lines go to the right-to-left face, when there is one.
  const rtlShaper = input.rtlFont
    ? Shaper.for(await openFont(input.harfbuzz, input.rtlFont), {
        script: 'Arab',
        direction: 'rtl',
        language: 'ar',
      })
    : undefined;
  const pieces = printedPieces(letter);
  checkGlyphs(
    pieces.map((p) => ({
      ...p,
      hasGlyph: (cp: number) =>
        p.single && rtlShaper && isRtlCodePoint(cp) ? rtlShaper.hasGlyph(cp) : shaper.hasGlyph(cp),
    })),
  );
  const usesRtl = !!rtlShaper && pieces.some((p) => p.single && hasRtl(p.text));
  const textHash = toHex(digest(crypto, 'SHA-256', input.canonicalText));
  const metaHash = toHex(digest(crypto, 'SHA-256', input.canonicalMetadata));

  const doc = await PDFDocument.create({ updateMetadata: false });
  const ctx = doc.context;
  const fontRef: PDFRef = ctx.nextRef();
  const font = new EmbeddedFont(fontMetrics(hbFont), 'F1');
  // Allocated only when used, so a letter without right-to-left names keeps its bytes.
  const rtl =
    usesRtl && rtlShaper
      ? {
          ref: ctx.nextRef(),
          face: {
            shaper: rtlShaper,
            font: new EmbeddedFont(
              fontMetrics(await openFont(input.harfbuzz, input.rtlFont!)),
              'F2',
            ),
          } satisfies Face,
        }
      : undefined;
  const latin: Face = { shaper, font };
  const fonts = rtl ? { F1: fontRef, F2: rtl.ref } : { F1: fontRef };

  const laidOut = blocks(letter, shaper);
  const { lines, pages } = paginate(laidOut);
  const structure = new StructureTree(laidOut);
  const pageObjects: { ref: PDFRef; node: PDFDict }[] = [];
  const footerLeft = `${metadata.id} \u00b7 SHA-256 ${textHash.slice(0, 16)}`;
  for (let p = 0; p < pages; p++) {
    const ops: string[] = [];
    for (const l of lines.filter((x) => x.page === p)) {
      if (rtl && hasRtl(l.words.join(' '))) {
        // The line's runs are text objects of their own, inside the line's one marked content.
        const width = mixedLineWidth(latin, rtl.face, l.words, STYLE.size);
        const x = l.align === 'right' ? l.x + l.width - width : l.x;
        const text = mixedTextLine(latin, rtl.face, {
          words: l.words,
          x,
          y: l.y,
          size: STYLE.size,
        });
        ops.push(`${structure.open(l)}\n${text}\nEMC`);
        continue;
      }
      const m = measureLine(shaper, l.words, STYLE.size);
      const left = l.left ?? 0;
      const x = l.align === 'right' ? l.x + l.width - m.natural : l.x - left;
      const fill =
        l.align === 'justify'
          ? justify(
              m.words,
              l.words.length - 1,
              l.width + left + (l.right ?? 0),
              shaper.width(' ', STYLE.size),
            )
          : undefined;
      ops.push(
        textLine(shaper, font, {
          words: l.words,
          x,
          y: l.y,
          size: STYLE.size,
          ...fill,
          tag: structure.open(l),
          hyphen: l.hyphen,
        }),
      );
    }
    const fs = STYLE.footerSize;
    const pageLabel = `${p + 1} / ${pages}`;
    const right =
      STYLE.page.width - STYLE.margin.right - measureLine(shaper, pageLabel.split(' '), fs).natural;
    ops.push(`${FOOTER_ARTIFACT} q ${STYLE.footerGray} g`);
    ops.push(
      textLine(shaper, font, {
        words: footerLeft.split(' '),
        x: STYLE.margin.left,
        y: STYLE.footerBaseline,
        size: fs,
      }),
    );
    ops.push(
      textLine(shaper, font, {
        words: pageLabel.split(' '),
        x: right,
        y: STYLE.footerBaseline,
        size: fs,
      }),
    );
    ops.push('Q EMC');
    const page = doc.addPage([STYLE.page.width, STYLE.page.height]);
    page.node.set(PDFName.of('Contents'), ctx.register(ctx.flateStream(ops.join('\n'))));
    page.node.set(PDFName.of('Resources'), ctx.obj({ Font: fonts }));
    pageObjects.push({ ref: page.ref, node: page.node });
  }
  structure.write(ctx, doc.catalog, pageObjects);
  addOutputIntent(ctx, doc.catalog);
  const subsetting = await subsetter;
  font.embed(ctx, fontRef, subsetGlyphs(subsetting, input.font, font.glyphIds()));
  if (rtl)
    rtl.face.font.embed(
      ctx,
      rtl.ref,
      subsetGlyphs(subsetting, input.rtlFont!, rtl.face.font.glyphIds()),
    );

  const subject = `Letter from ${metadata.author.name} to ${metadata.recipient.name}, ${letter.dateline.value.text}`;
  const keywords = metadata.keywords ?? [];
  doc.setTitle(metadata.title, { showInWindowTitleBar: true });
  doc.setAuthor(metadata.author.name);
  doc.setSubject(subject);
  doc.setKeywords(keywords);
  doc.setCreator(input.tool);
  doc.setProducer(`${input.tool} (pdf-lib 1.17.1)`);
  doc.setCreationDate(input.date);
  doc.setModificationDate(input.date);
  doc.setLanguage(metadata.language);

  // The file identifier and XMP document id come from the content, never from a clock or RNG.
  const idSeed = enc.encode(
    `docprov-pdf-id\n${textHash}\n${metaHash}\n${input.tool}\n${input.date.toISOString()}`,
  );
  const id = toHex(digest(crypto, 'SHA-256', idSeed)).slice(0, 32);
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  const uuid = `uuid:${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
  const xmp = xmpPacket({
    title: metadata.title,
    author: metadata.author.name,
    subject,
    keywords,
    language: metadata.language,
    creatorTool: input.tool,
    producer: `${input.tool} (pdf-lib 1.17.1)`,
    date: input.date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    documentId: uuid,
  });
  doc.catalog.set(
    PDFName.of('Metadata'),
    ctx.register(ctx.stream(enc.encode(xmp), { Type: 'Metadata', Subtype: 'XML' })),
  );

  const attach = {
    creationDate: input.date,
    modificationDate: input.date,
    afRelationship: AFRelationship.Source,
  };
  await doc.attach(input.canonicalText, `${metadata.id}.txt`, {
    ...attach,
    mimeType: 'text/plain',
    description: `Canonical text of the letter (${NORMALISATION_RULES}), from which this PDF was typeset`,
  });
  await doc.attach(input.canonicalMetadata, `${metadata.id}.metadata.json`, {
    ...attach,
    mimeType: 'application/json',
    description: 'Canonical metadata of the letter (RFC 8785 JSON)',
  });
  const pdf = await doc.save({ useObjectStreams: false, addDefaultPage: false });
  return { pdf, layout: layoutOf(lines, new TextDecoder().decode(input.canonicalText)) };
}

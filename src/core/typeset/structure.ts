import { PDFName, type PDFContext, type PDFDict, type PDFRef } from '../pdf-lib.js';
import type { Block, PlacedLine } from './layout.js';

// Tagged PDF (ISO 32000-1 14.7-14.8, as PDF/UA-1 asks): a structure tree in reading order, one
// element per block of the letter with its role, each printed line a marked-content sequence
// (an MCID on its page) that the tree and the ParentTree point to. What is not the letter's text
// (footers, page numbers, hyphens that hyphenation added) is marked as an artifact instead.

/** The letter's own structure types, each mapped to the standard type it is. */
export const ROLE_MAP = {
  Dateline: 'P',
  Salutation: 'P',
  Closing: 'P',
  Signature: 'Div',
  Addressee: 'Div',
} as const;

/** The marked-content operator that opens a footer: a pagination artifact. */
export const FOOTER_ARTIFACT = '/Artifact <</Type /Pagination /Subtype /Footer>> BDC';

interface Element {
  role: string;
  /** Marked content on pages, in reading order: [page, MCID]. */
  content: [number, number][];
  children: Element[];
}

export class StructureTree {
  private readonly elements: Element[];
  /** For each page, the element each MCID belongs to (the ParentTree's arrays). */
  private readonly owners: Element[][] = [];

  constructor(blocks: readonly Block[]) {
    this.elements = blocks.map((b) => ({
      role: b.role,
      content: [],
      children: b.lineRole
        ? b.lines.map(() => ({ role: b.lineRole!, content: [], children: [] }))
        : [],
    }));
  }

  /** The operator opening a placed line's marked content, with the next MCID of its page. */
  open(line: PlacedLine): string {
    const block = this.elements[line.block]!;
    const element = block.children[line.line] ?? block;
    const owners = (this.owners[line.page] ??= []);
    const mcid = owners.length;
    owners.push(element);
    element.content.push([line.page, mcid]);
    return `/${element.role} <</MCID ${mcid}>> BDC`;
  }

  /** Writes the tree and marks the catalog and pages as tagged. */
  write(ctx: PDFContext, catalog: PDFDict, pages: readonly { ref: PDFRef; node: PDFDict }[]): void {
    const rootRef = ctx.nextRef();
    const docRef = ctx.nextRef();
    const refs = new Map<Element, PDFRef>();
    const all = this.elements.flatMap((e) => [e, ...e.children]);
    for (const e of all) refs.set(e, ctx.nextRef());
    const write = (e: Element, parent: PDFRef) => {
      const ref = refs.get(e)!;
      const kids = e.children.length
        ? e.children.map((c) => refs.get(c)!)
        : e.content.map(([page, mcid]) =>
            ctx.obj({ Type: 'MCR', Pg: pages[page]!.ref, MCID: mcid }),
          );
      const first = e.content[0]?.[0] ?? e.children[0]?.content[0]?.[0] ?? 0;
      ctx.assign(
        ref,
        ctx.obj({ Type: 'StructElem', S: e.role, P: parent, Pg: pages[first]!.ref, K: kids }),
      );
      for (const c of e.children) write(c, ref);
    };
    for (const e of this.elements) write(e, docRef);
    ctx.assign(
      docRef,
      ctx.obj({
        Type: 'StructElem',
        S: 'Document',
        P: rootRef,
        K: this.elements.map((e) => refs.get(e)!),
      }),
    );
    const nums: (number | PDFRef[])[] = [];
    pages.forEach((page, p) => {
      nums.push(
        p,
        (this.owners[p] ?? []).map((e) => refs.get(e)!),
      );
      page.node.set(PDFName.of('StructParents'), ctx.obj(p));
      // The tab order follows the structure (PDF/UA-1 7.18.3): signature widgets come later.
      page.node.set(PDFName.of('Tabs'), PDFName.of('S'));
    });
    ctx.assign(
      rootRef,
      ctx.obj({
        Type: 'StructTreeRoot',
        K: docRef,
        ParentTree: ctx.register(ctx.obj({ Nums: nums })),
        ParentTreeNextKey: pages.length,
        RoleMap: ROLE_MAP,
      }),
    );
    catalog.set(PDFName.of('StructTreeRoot'), rootRef);
    catalog.set(PDFName.of('MarkInfo'), ctx.obj({ Marked: true }));
  }
}

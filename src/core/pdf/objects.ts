import { get, num, PdfLexer, PdfSyntaxError, type PdfValue } from './lexer.js';
import { latin1, type ByteSource } from './source.js';
import { decodeStream, entryOf, XrefError, type XrefChain } from './xref.js';

// Objects of a PDF as of one revision (a chain of xref sections): direct objects at their
// offsets and objects inside object streams. Every read counts against a budget shared by one
// verification, so no file can make the verifier read or inflate more than a stated amount.

export interface PdfObject {
  num: number;
  gen: number;
  value: PdfValue;
  /** For a stream: where its data starts and its /Length. */
  stream?: { start: number; length: number };
}

/** How much one verification may read and decode beyond the hashing pass. */
export class WorkBudget {
  constructor(public bytes = 256 << 20) {}
  spend(n: number): void {
    this.bytes -= n;
    if (this.bytes < 0)
      throw new XrefError('the file asks for more parsing work than the verifier allows (256 MiB)');
  }
}

const FIRST_WINDOW = 1 << 14;
const MAX_OBJECT = 4 << 20;
const MAX_OBJSTM = 32 << 20;
const MAX_OBJSTM_OBJECTS = 100_000;
const MAX_NESTED_READS = 32;

export class PdfObjects {
  private readonly cache = new Map<number, PdfObject | null>();
  /** Objects being read: one whose reading needs itself (/Length N 0 R in N) is refused. */
  private readonly reading = new Set<number>();
  private readonly objStms = new Map<
    number,
    { data: Uint8Array; header: { num: number; at: number }[] }
  >();

  constructor(
    readonly src: ByteSource,
    readonly chain: XrefChain,
    readonly budget: WorkBudget = new WorkBudget(),
  ) {}

  get trailer(): PdfValue {
    return this.chain.sections[0]!.trailer;
  }

  /** The object numbered `n`, or undefined when it is free or not listed. */
  async get(n: number): Promise<PdfObject | undefined> {
    if (this.cache.has(n)) return this.cache.get(n) ?? undefined;
    if (this.reading.has(n))
      throw new XrefError(`object ${n} refers to itself while it is read (a /Length of itself)`);
    if (this.reading.size >= MAX_NESTED_READS)
      throw new XrefError(`objects refer to others more than ${MAX_NESTED_READS} deep while read`);
    const e = entryOf(this.chain, n);
    let obj: PdfObject | undefined;
    this.reading.add(n);
    try {
      if (e?.type === 'n') obj = await this.direct(n, e.offset, e.gen);
      else if (e?.type === 'c') obj = await this.compressed(n, e.offset, e.gen);
    } finally {
      this.reading.delete(n);
    }
    this.cache.set(n, obj ?? null);
    return obj;
  }

  /** Follows a reference (one level); other values come back as they are. */
  async resolve(v: PdfValue | undefined): Promise<PdfValue | undefined> {
    if (v?.kind !== 'ref') return v;
    return (await this.get(v.num))?.value;
  }

  /** A dictionary entry, resolved. */
  async lookup(d: PdfValue | undefined, key: string): Promise<PdfValue | undefined> {
    return this.resolve(get(d, key));
  }

  /** The catalog (/Root) of this revision. */
  async catalog(): Promise<PdfValue | undefined> {
    return this.lookup(this.trailer, 'Root');
  }

  private async direct(n: number, offset: number, gen: number): Promise<PdfObject> {
    let size = FIRST_WINDOW;
    for (;;) {
      const bytes = await this.src.read(offset, size);
      this.budget.spend(bytes.length);
      const lx = new PdfLexer(bytes, 0, offset);
      try {
        const h = lx.objectHeader();
        if (!h || h.num !== n || h.gen !== gen)
          throw new XrefError(
            `object ${n}'s xref offset ${offset} does not point at "${n} ${gen} obj"`,
          );
        const value = lx.value();
        lx.skipWhite();
        if (lx.peekWord() === 'stream') {
          lx.pos += 6;
          if (bytes[lx.pos] === 0x0d) lx.pos++;
          if (bytes[lx.pos] === 0x0a) lx.pos++;
          const length = num(await this.resolve(get(value, 'Length')));
          if (
            length === undefined ||
            !Number.isInteger(length) ||
            length < 0 ||
            offset + lx.pos + length > this.src.size
          )
            throw new XrefError(`object ${n}'s stream has a missing or impossible /Length`);
          return { num: n, gen, value, stream: { start: offset + lx.pos, length } };
        }
        if (lx.peekWord() !== 'endobj')
          throw new PdfSyntaxError(`object ${n} does not end with "endobj"`, offset + lx.pos);
        return { num: n, gen, value };
      } catch (e) {
        // The window ended inside the object: read a larger one, up to the cap.
        if (e instanceof PdfSyntaxError && bytes.length === size && size < MAX_OBJECT) {
          size = Math.min(size * 8, MAX_OBJECT);
          continue;
        }
        throw e;
      }
    }
  }

  /** A stream's data, decoded, at most `maxOutput` bytes. */
  async streamData(obj: PdfObject, maxOutput: number): Promise<Uint8Array> {
    if (!obj.stream) throw new XrefError(`object ${obj.num} is not a stream`);
    const raw = await this.src.read(obj.stream.start, obj.stream.length);
    this.budget.spend(raw.length);
    const out = decodeStream(obj.value, raw, maxOutput);
    this.budget.spend(out.length);
    return out;
  }

  /** Object `n` at `index` in object stream `stmNum`, as the xref entry says (viewers read it so). */
  private async compressed(n: number, stmNum: number, index: number): Promise<PdfObject> {
    let stm = this.objStms.get(stmNum);
    if (!stm) {
      const e = entryOf(this.chain, stmNum);
      if (e?.type !== 'n') throw new XrefError(`object stream ${stmNum} is not a direct object`);
      const obj = await this.direct(stmNum, e.offset, e.gen);
      const count = num(get(obj.value, 'N'));
      const first = num(get(obj.value, 'First'));
      if (
        count === undefined ||
        first === undefined ||
        count < 0 ||
        count > MAX_OBJSTM_OBJECTS ||
        first < 0
      )
        throw new XrefError(`object stream ${stmNum} has a bad /N or /First`);
      const data = await this.streamData(obj, MAX_OBJSTM);
      const lx = new PdfLexer(data.subarray(0, Math.min(first, data.length)));
      const header: { num: number; at: number }[] = [];
      const seen = new Set<number>();
      for (let i = 0; i < count; i++) {
        const a = lx.peekWord();
        lx.pos += a.length;
        const b = lx.peekWord();
        lx.pos += b.length;
        if (!/^\d{1,10}$/.test(a) || !/^\d{1,10}$/.test(b))
          throw new XrefError(`object stream ${stmNum} has a bad header`);
        // Readers disagree on which of two copies counts (the first, the last, the indexed).
        if (seen.has(Number(a)))
          throw new XrefError(`object stream ${stmNum} holds object ${a} twice`);
        seen.add(Number(a));
        header.push({ num: Number(a), at: first + Number(b) });
      }
      stm = { data, header };
      this.objStms.set(stmNum, stm);
    }
    const slot = stm.header[index];
    if (!slot || slot.num !== n || slot.at >= stm.data.length)
      throw new XrefError(
        `object ${n} is not at index ${index} of object stream ${stmNum}, as the xref says`,
      );
    const at = slot.at;
    const value = new PdfLexer(stm.data, at).value();
    return { num: n, gen: 0, value };
  }
}

export { latin1 };

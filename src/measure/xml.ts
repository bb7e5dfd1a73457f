// A minimal reader for well-formed XML as pdftotext writes it: elements and attributes only.
// Text content is not kept; a malformed document is an error, never a guess.

export interface XmlElement {
  name: string;
  attributes: Map<string, string>;
  children: XmlElement[];
}

const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Parses `text` into its root element. */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: new Map(), children: [] };
  const stack = [root];
  for (const m of text.matchAll(TOKEN)) {
    const [, closing, name, attrs, selfClosing] = m;
    if (name === undefined) continue; // a comment, declaration or DOCTYPE
    const top = stack[stack.length - 1]!;
    if (closing) {
      if (top.name !== name || stack.length === 1)
        throw new Error(`malformed XML: </${name}> at ${m.index} closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const el: XmlElement = { name, attributes: new Map(), children: [] };
    for (const a of (attrs ?? '').matchAll(ATTRIBUTE)) el.attributes.set(a[1]!, a[2] ?? a[3]!);
    top.children.push(el);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`malformed XML: <${stack.pop()!.name}> is not closed`);
  if (root.children.length !== 1) throw new Error('malformed XML: not exactly one root element');
  return root.children[0]!;
}

/** Every element named `name` below `el`, in document order (ElementTree's iter()). */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

/** A numeric attribute; a missing or non-numeric one is an error. */
export function numberAttribute(el: XmlElement, name: string): number {
  const v = el.attributes.get(name);
  const n = v === undefined ? NaN : Number(v);
  if (v === undefined || v.trim() === '' || !Number.isFinite(n))
    throw new Error(`<${el.name}> has no numeric ${name} attribute`);
  return n;
}

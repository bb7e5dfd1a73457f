// An XMP packet that says what the Info dictionary says (ISO 16684-1), for tools that read XMP,
// and which standards the file claims: PDF/A-3b (ISO 19005-3) and PDF/UA-1 (ISO 14289-1). PDF/A
// admits only the schemas it predefines or that the packet describes, so pdfuaid is described in
// a PDF/A extension schema (ISO 19005-1 6.7.2.3), as ISO 14289-1 asks.

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface XmpFields {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  language: string;
  creatorTool: string;
  producer: string;
  date: string;
  documentId: string;
}

export function xmpPacket(f: XmpFields): string {
  const li = (v: string) => `<rdf:li>${esc(v)}</rdf:li>`;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>3</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
<rdf:Description rdf:about=""
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${esc(f.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq>${li(f.author)}</rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${esc(f.subject)}</rdf:li></rdf:Alt></dc:description>
<dc:subject><rdf:Bag>${f.keywords.map(li).join('')}</rdf:Bag></dc:subject>
<dc:language><rdf:Bag>${li(f.language)}</rdf:Bag></dc:language>
<pdf:Keywords>${esc(f.keywords.join(', '))}</pdf:Keywords>
<pdf:Producer>${esc(f.producer)}</pdf:Producer>
<xmp:CreatorTool>${esc(f.creatorTool)}</xmp:CreatorTool>
<xmp:CreateDate>${f.date}</xmp:CreateDate>
<xmp:ModifyDate>${f.date}</xmp:ModifyDate>
<xmp:MetadataDate>${f.date}</xmp:MetadataDate>
<xmpMM:DocumentID>${esc(f.documentId)}</xmpMM:DocumentID>
<xmpMM:InstanceID>${esc(f.documentId)}</xmpMM:InstanceID>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

#!/usr/bin/python3
"""What a PDF says about PDF/A-3b and PDF/UA-1, read by pikepdf (qpdf): one JSON object on stdout.

An independent reader for test/pdfa.test.ts: it knows nothing of docprov's code, it reads the file.
"""
import hashlib
import json
import sys

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

FORBIDDEN_KEYS = {'/JS', '/JavaScript', '/AA', '/OpenAction', '/Launch'}


def walk(obj, seen, found):
    """Every dictionary and stream reachable from obj, once each."""
    if isinstance(obj, (Dictionary, Stream)):
        key = obj.objgen if obj.is_indirect else None
        if key is not None:
            if key in seen:
                return
            seen.add(key)
        found.append(obj)
        for k in obj.keys():
            walk(obj[k], seen, found)
    elif isinstance(obj, Array):
        for item in obj:
            walk(item, seen, found)


def names(value):
    if value is None:
        return []
    if isinstance(value, Array):
        return [str(v) for v in value]
    return [str(value)]


def struct_tree(pdf):
    """The structure tree as data: type, role-mapped type, and for content its page and MCID."""
    root = pdf.Root.get('/StructTreeRoot')
    if root is None:
        return None
    role_map = {str(k): str(v) for k, v in root.get('/RoleMap', Dictionary()).items()}
    pages = {p.objgen: i for i, p in enumerate(pdf.pages)}

    def node(elem):
        if isinstance(elem, int):
            return {'mcid': elem}
        if elem.get('/Type') == Name.MCR:
            return {'mcid': int(elem.MCID), 'page': pages.get(elem.Pg.objgen)}
        if elem.get('/Type') == Name.OBJR:
            return {'objr': True}
        kids = elem.get('/K')
        kids = list(kids) if isinstance(kids, Array) else ([] if kids is None else [kids])
        s = str(elem.S)
        out = {'type': s, 'role': role_map.get(s, s), 'kids': [node(k) for k in kids]}
        if '/Lang' in elem:
            out['lang'] = str(elem.Lang)
        return out

    k = root.get('/K')
    kids = list(k) if isinstance(k, Array) else [k]
    parent_tree = root.get('/ParentTree')
    nums = list(parent_tree.get('/Nums', Array())) if parent_tree is not None else []
    return {
        'roleMap': role_map,
        'kids': [node(x) for x in kids],
        'parentTreeKeys': [int(nums[i]) for i in range(0, len(nums), 2)],
        'parentTreeNextKey': int(root.get('/ParentTreeNextKey', -1)),
    }


def icc_header(data):
    return {
        'size': int.from_bytes(data[0:4], 'big'),
        'version': data[8],
        'class': data[12:16].decode('latin1'),
        'space': data[16:20].decode('latin1'),
        'pcs': data[20:24].decode('latin1'),
        'signature': data[36:40].decode('latin1'),
    }


def main(path):
    raw = open(path, 'rb').read()
    pdf = pikepdf.open(path)
    root = pdf.Root
    found = []
    walk(pdf.trailer, set(), found)
    for page in pdf.pages:
        walk(page.obj, set(), found)
    filters = set()
    forbidden = set()
    transparency = []
    for obj in found:
        for key in obj.keys():
            if key in FORBIDDEN_KEYS:
                forbidden.add(key)
        if isinstance(obj, Stream):
            filters.update(names(obj.get('/Filter')))
            if '/F' in obj.stream_dict and obj.get('/Type') != Name.EmbeddedFile:
                forbidden.add('external stream /F')
        if obj.get('/S') == Name.Transparency:
            transparency.append('transparency group')
        if '/SMask' in obj and obj.get('/SMask') != Name.None_:
            transparency.append('soft mask')
        if '/BM' in obj and str(obj.BM) not in ('/Normal', '/Compatible'):
            transparency.append('blend mode ' + str(obj.BM))
        if obj.get('/S') == Name.JavaScript:
            forbidden.add('JavaScript action')

    fonts = []
    seen_fonts = set()
    for page in pdf.pages:
        for name, font in page.obj.Resources.get('/Font', Dictionary()).items():
            if font.objgen in seen_fonts:
                continue
            seen_fonts.add(font.objgen)
            descendants = font.get('/DescendantFonts', Array([font]))
            for f in descendants:
                d = f.get('/FontDescriptor', Dictionary())
                fonts.append({
                    'name': str(f.get('/BaseFont')),
                    'embedded': any(k in d for k in ('/FontFile', '/FontFile2', '/FontFile3')),
                    'cidToGid': str(f.get('/CIDToGIDMap', '')),
                })

    annotations = []
    for i, page in enumerate(pdf.pages):
        for a in page.obj.get('/Annots', Array()):
            rect = [float(x) for x in a.get('/Rect', Array())]
            annotations.append({
                'page': i,
                'subtype': str(a.get('/Subtype')),
                'flags': int(a.get('/F', 0)),
                'zeroArea': len(rect) == 4 and rect[0] == rect[2] and rect[1] == rect[3],
                'hasAP': '/AP' in a,
                'structParent': '/StructParent' in a,
            })

    intents = []
    for oi in root.get('/OutputIntents', Array()):
        profile = oi.get('/DestOutputProfile')
        data = profile.read_bytes() if profile is not None else b''
        intents.append({
            'S': str(oi.get('/S')),
            'identifier': str(oi.get('/OutputConditionIdentifier', '')),
            'N': int(profile.get('/N', 0)) if profile is not None else 0,
            'sha256': hashlib.sha256(data).hexdigest(),
            'icc': icc_header(data) if data else None,
        })

    attachments = []
    for spec in root.get('/AF', Array()):
        ef = spec.get('/EF', Dictionary()).get('/F')
        params = ef.get('/Params', Dictionary()) if ef is not None else Dictionary()
        attachments.append({
            'name': str(spec.get('/UF', '')),
            'F': str(spec.get('/F', '')),
            'relationship': str(spec.get('/AFRelationship', '')),
            'mime': str(ef.get('/Subtype', '')) if ef is not None else '',
            'modDate': '/ModDate' in params,
            'desc': str(spec.get('/Desc', '')),
        })
    embedded_names = []
    names_tree = root.get('/Names', Dictionary()).get('/EmbeddedFiles')
    if names_tree is not None:
        arr = names_tree.get('/Names', Array())
        embedded_names = [str(arr[i]) for i in range(0, len(arr), 2)]

    info = pdf.trailer.get('/Info', Dictionary())
    info = {'title': str(info.get('/Title', '')), 'producer': str(info.get('/Producer', ''))}
    meta_stream = root.get('/Metadata')
    # Read only: pikepdf would otherwise name itself the editor and rewrite the Info dictionary.
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        xmp = {k: meta.get(q) for k, q in (
            ('pdfaid:part', '{http://www.aiim.org/pdfa/ns/id/}part'),
            ('pdfaid:conformance', '{http://www.aiim.org/pdfa/ns/id/}conformance'),
            ('pdfuaid:part', '{http://www.aiim.org/pdfua/ns/id/}part'),
            ('dc:title', 'dc:title'),
            ('xmp:CreatorTool', 'xmp:CreatorTool'),
            ('pdf:Producer', 'pdf:Producer'))}
    xmp_text = meta_stream.read_bytes().decode('utf-8') if meta_stream is not None else ''
    prefs = root.get('/ViewerPreferences', Dictionary())
    mark = root.get('/MarkInfo', Dictionary())

    print(json.dumps({
        'header': raw[:8].decode('latin1'),
        'binaryComment': all(b >= 128 for b in raw[10:14]),
        'id': '/ID' in pdf.trailer,
        'encrypted': pdf.is_encrypted,
        'lang': str(root.get('/Lang', '')),
        'displayDocTitle': bool(prefs.get('/DisplayDocTitle', False)),
        'marked': bool(mark.get('/Marked', False)),
        'suspects': bool(mark.get('/Suspects', False)),
        'info': info,
        'xmp': xmp,
        'xmpExtensionDescribesPdfuaid': 'http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>' in xmp_text,
        'metadataFilter': names(meta_stream.get('/Filter')) if meta_stream is not None else [],
        'outputIntents': intents,
        'attachments': attachments,
        'embeddedFileNames': embedded_names,
        'filters': sorted(filters),
        'forbidden': sorted(forbidden),
        'transparency': transparency,
        'fonts': fonts,
        'annotations': annotations,
        'pages': [{
            'structParents': int(p.obj.get('/StructParents', -1)),
            'tabs': str(p.obj.get('/Tabs', '')),
        } for p in pdf.pages],
        'structTree': struct_tree(pdf),
    }, ensure_ascii=False))


if __name__ == '__main__':
    main(sys.argv[1])

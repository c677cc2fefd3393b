"""Write the crafted hostile files of this folder (run once; the outputs are checked in).

    .venv/bin/python tests/data/hostile/make.py

Each file is small on disk; what it claims or expands to is not. tests/robustness/test_hostile.py
says what goallint must answer for each. The bases are examples/clean.docx (its document.xml in a
minimal package), examples/clean.xlsx and the 2023 corpus Word dump.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CLEAN_DOCX = ROOT / "examples" / "clean.docx"
CLEAN_XLSX = ROOT / "examples" / "clean.xlsx"
DUMP = ROOT / "tests" / "data" / "corpus" / "tianjin-ccpit-2023-projects.txt"

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="bin" ContentType="application/octet-stream"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def _entry(name: str, compress: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    """A zip entry with a fixed date, so that running this script again writes the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.compress_type = compress
    return info


def clean_document_xml() -> bytes:
    with zipfile.ZipFile(CLEAN_DOCX) as z:
        return z.read("word/document.xml")


def docx(name: str, document_xml: bytes, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal Word package: content types, package relationships, the document part."""
    path = HERE / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(_entry("[Content_Types].xml"), DOCX_TYPES)
        z.writestr(_entry("_rels/.rels"), DOCX_RELS)
        z.writestr(_entry("word/document.xml"), document_xml)
        for part, data in (extra or {}).items():
            z.writestr(_entry(part), data)
    return path


def xlsx(name: str, change=None, extra: dict[str, bytes] | None = None, stored: bool = False) -> Path:
    """examples/clean.xlsx with its parts changed by `change(part name, bytes) -> bytes`."""
    path = HERE / name
    with zipfile.ZipFile(CLEAN_XLSX) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            z.writestr(_entry(info.filename), change(info.filename, data) if change else data)
        for part, data in (extra or {}).items():
            z.writestr(_entry(part, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED), data)
    return path


def claim_size(path: Path, part: str, size: int) -> None:
    """Patch the uncompressed size that the zip's central directory declares for `part`."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == part.encode():
            struct.pack_into("<I", data, at + 24, size)
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise ValueError(part)


def after_declaration(xml: bytes, insert: bytes) -> bytes:
    if not xml.startswith(b"<?xml"):
        return insert + xml
    decl, rest = xml.split(b"?>", 1)
    return decl + b"?>" + insert + rest


LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10))
    + b"]>"
)


def main() -> None:
    document = clean_document_xml()
    dump = DUMP.read_bytes()
    clean_docx = docx("_base.docx", document).read_bytes()
    (HERE / "_base.docx").unlink()

    # ---- broken packages
    (HERE / "truncated.docx").write_bytes(clean_docx[: len(clean_docx) * 2 // 3])
    (HERE / "truncated.xlsx").write_bytes(CLEAN_XLSX.read_bytes()[:4000])
    # a flipped run of bytes inside word/document.xml's compressed data
    corrupt = bytearray(clean_docx)
    with zipfile.ZipFile(io.BytesIO(clean_docx)) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + 200
    corrupt[start : start + 40] = bytes(b ^ 0xA5 for b in corrupt[start : start + 40])
    (HERE / "corrupt-part.docx").write_bytes(bytes(corrupt))
    (HERE / "old-word.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    (HERE / "excel-named-docx.docx").write_bytes(CLEAN_XLSX.read_bytes())

    # ---- zip bombs: refused from the zip directory, before anything is inflated
    path = docx("bomb-claims-size.docx", document, {"word/media/filler.bin": b"\0" * 1024})
    claim_size(path, "word/media/filler.bin", 0xF0000000)  # 3.75 GB
    xlsx("bomb-ratio.xlsx", extra={"xl/media/filler.bin": b"\0" * (8 * 1024 * 1024)})
    xlsx("many-parts.xlsx", extra={f"p/{i:04d}": b"" for i in range(1000)}, stored=True)

    # ---- XML document type declarations
    docx("entity-expansion.docx", after_declaration(document, LAUGHS).replace(b"<w:t>", b"<w:t>&lol9;", 1))

    def xxe(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            data = after_declaration(data, b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
            return data.replace(b"<t>", b"<t>&xxe;", 1)
        return data

    xlsx("external-entity.xlsx", xxe)
    utf16 = after_declaration(document, b'<!DOCTYPE w [<!ENTITY e SYSTEM "http://example.invalid/">]>')
    utf16 = utf16.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode("utf-8").encode("utf-16")
    docx("external-entity-utf16.docx", utf16)

    # ---- enormous content
    cell = document.index("<w:t>≥17台</w:t>".encode())  # the first 指标值
    end = document.index(b"</w:t>", cell)
    # 100,000 characters: under the ratio cap's 1 MiB floor, so it reaches the reader and the value parser
    docx("huge-cell.docx", document[: cell + 5] + ("1、" * 50_000).encode() + document[end:])
    rows_start = document.rindex(b"<w:tr>") if b"<w:tr>" in document else document.rindex(b"<w:tr ")
    rows_end = document.index(b"</w:tr>", rows_start) + len(b"</w:tr>")
    last_row = document[rows_start:rows_end]
    value = re.findall(rb"<w:t>([^<]*)</w:t>", last_row)[-1]
    more = b"".join(last_row.replace(b"<w:t>%s</w:t>" % value, b"<w:t>\xe2\x89\xa5%d</w:t>" % k) for k in range(20_000))
    docx("huge-table.docx", document[:rows_end] + more + document[rows_end:])

    def long_sheet(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        rows_end = data.rindex(b"</row>") + len(b"</row>")
        last = data[data.rindex(b"<row ", 0, rows_end) : rows_end]
        number = int(re.search(rb'<row r="(\d+)"', last).group(1))
        more = b"".join(
            re.sub(rb'r="([A-Z]*)%d"' % number, rb'r="\g<1>%d"' % (number + k), last) for k in range(1, 5_001)
        )
        return data[:rows_end] + more + data[rows_end:]

    xlsx("huge-table.xlsx", long_sheet)

    # one cell far away: the used range becomes 1,048,576 rows × 16,384 columns
    def far_cell(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return data.replace(b"</sheetData>", far + b"</sheetData>").replace(
            b'<dimension ref="A1:G17"/>', b'<dimension ref="A1:XFD1048576"/>'
        )

    xlsx("far-cell.xlsx", far_cell)

    # a merged range over a whole sheet: a cell object for each of its 17 billion cells when loaded
    def giant_merge(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        return re.sub(
            rb'<mergeCells count="(\d+)">',
            lambda m: b'<mergeCells count="%d"><mergeCell ref="H1:XFD1048576"/>' % (int(m.group(1)) + 1),
            data,
        )

    xlsx("giant-merge.xlsx", giant_merge)

    # Word tables nested in table cells, deeper than any form (and deeper than the XML parser allows)
    table_start = document.index(b"<w:tbl>")
    table_end = document.rindex(b"</w:tbl>") + len(b"</w:tbl>")
    form = document[table_start:table_end]
    for depth in (30, 120):
        wrapped = form
        for _ in range(depth):
            wrapped = b"<w:tbl><w:tr><w:tc>" + wrapped + b"<w:p/></w:tc></w:tr></w:tbl>"
        docx(f"nested-tables-{depth}.docx", document[:table_start] + wrapped + document[table_end:])

    # a cell that spans a billion grid columns, a row that starts after 900 million
    docx("wide-span.docx", document.replace(b'<w:gridSpan w:val="6"/>', b'<w:gridSpan w:val="1000000000"/>', 1))
    docx(
        "wide-grid-before.docx",
        document.replace(b"<w:tr>", b'<w:tr><w:trPr><w:gridBefore w:val="900000000"/></w:trPr>', 1),
    )

    # ---- text that is not what it says
    (HERE / "nul-bytes.txt").write_bytes(dump[:3000].replace(b"\n\t", b"\n\t\x00", 40))
    (HERE / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (HERE / "png-named-txt.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes((i * 37) % 256 for i in range(2000)))
    (HERE / "gb18030.txt").write_bytes(dump.decode("utf-8").encode("gb18030"))
    (HERE / "utf16.txt").write_bytes(dump.decode("utf-8").encode("utf-16"))
    (HERE / "nul-bytes.csv").write_bytes((ROOT / "examples" / "clean.csv").read_bytes().replace(b",", b",\x00", 5))
    (HERE / "control-chars.csv").write_bytes(
        (ROOT / "examples" / "faulty.csv").read_bytes().replace("250万元".encode(), "250万\x01元".encode(), 1)
    )
    (HERE / "gb18030.csv").write_bytes((ROOT / "examples" / "clean.csv").read_text(encoding="utf-8").encode("gb18030"))
    (HERE / "huge-cell.csv").write_bytes(
        (ROOT / "examples" / "clean.csv").read_bytes().rstrip(b"\n")
        + b"\n"
        + b"," * 5
        + b'"'
        + "完成".encode() * 5_000
        + b'"\n'
    )

    # ---- YAML / JSON
    (HERE / "object-tag.yaml").write_text(
        'goallint: 1\ntables:\n  - project: !!python/object/apply:os.system ["echo owned"]\n    rows: []\n',
        encoding="utf-8",
    )
    bomb = ["goallint: 1", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=False):
        bomb.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    bomb.append("tables: []")
    (HERE / "alias-bomb.yaml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    (HERE / "deep.yaml").write_text("goallint: 1\ntables: " + "[" * 400 + "]" * 400 + "\n", encoding="utf-8")
    (HERE / "deep.json").write_text('{"goallint": 1, "tables": ' + "[" * 5000 + "]" * 5000 + "}\n", encoding="utf-8")
    (HERE / "gb18030.yaml").write_bytes(
        (ROOT / "examples" / "clean.yaml").read_text(encoding="utf-8").encode("gb18030")
    )


if __name__ == "__main__":
    main()

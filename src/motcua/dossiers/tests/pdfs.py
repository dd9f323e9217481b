"""Hand-made PDFs for the upload checks: plain, with cross-reference streams and object streams."""

from __future__ import annotations

import io
import zlib

import pypdf
from fpdf import FPDF

CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s >>"


def printed() -> bytes:
    """A PDF as a word processor or scanner makes it: nothing that acts."""
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="To khai")
    return bytes(document.output())


def plain(catalog_extra: bytes = b"", page_extra: bytes = b"", *more: bytes) -> bytes:
    """Objects 1-3 (catalog, pages, page) and ``more`` from 4, with a cross-reference table."""
    objects = [CATALOG % catalog_extra, PAGES, PAGE % page_extra, *more]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def compressed(catalog_extra: bytes = b"", *more: bytes) -> bytes:
    """Catalog, pages, page and ``more`` inside one compressed object stream (PDF 1.5): none of
    their names appear in the file's bytes."""
    inner = [CATALOG % catalog_extra, PAGES, PAGE % b"", *more]
    count = len(inner)
    bodies = b""
    header = b""
    for index, body in enumerate(inner):
        header += b"%d %d " % (index + 1, len(bodies))
        bodies += body + b"\n"
    stream = zlib.compress(header + bodies)
    stream_number, xref_number = count + 1, count + 2
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        stream_number,
        count,
        len(header),
        len(stream),
    )
    out += b"stream\n" + stream + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = [bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    rows += [
        bytes([2]) + stream_number.to_bytes(4, "big") + index.to_bytes(2, "big")
        for index in range(count)
    ]
    rows += [bytes([1]) + stream_at.to_bytes(4, "big") + (0).to_bytes(2, "big")]
    rows += [bytes([1]) + xref_at.to_bytes(4, "big") + (0).to_bytes(2, "big")]
    table = zlib.compress(b"".join(rows))
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
        b"/Length %d >>\nstream\n" % (xref_number, xref_number + 1, len(table))
    )
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def with_password(source: bytes, password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(source)))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

"""The common frame of the one-stop forms: A4, the national header, text helpers, the footer.

Layout follows the usual presentation of Vietnamese administrative documents (Decree
30/2020/NĐ-CP): the issuing agency on the left, the national name and motto on the right,
the place and date under the motto, then the centred title. Text is fixed Vietnamese (these
are legal forms); the font is DejaVu Sans, embedded, so every diacritic prints and can be
copied out of the PDF.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import segno
from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import FontFace
from vietnam_provinces import Province, ProvinceCode

from motcua.agencies.models import Agency

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

# Millimetres. Margins as Decree 30/2020 asks for (left 30-35, right 15-20, top/bottom 20-25),
# a little tighter at the top so a receipt with its QR code stays on one page.
LEFT, RIGHT, TOP, BOTTOM = 30.0, 15.0, 15.0, 18.0
AGENCY_BLOCK = 68.0  # width of the agency block; the national block takes the rest
BODY_SIZE = 11.0
LINE = 6.0

# fontTools logs each step of subsetting the embedded font at INFO level, a dozen lines per
# PDF; quieted unless the project's LOGGING configures that logger itself.
_subset_log = logging.getLogger("fontTools.subset")
if _subset_log.level == logging.NOTSET:
    _subset_log.setLevel(logging.WARNING)

QR_BORDER = 4  # modules of quiet zone around the symbol, as the QR standard asks
QR_SCALE = 8  # pixels per module in the embedded PNG (sharp when printed at 30 mm)


# --- text and time -------------------------------------------------------------------------


def clean(text: object) -> str:
    """One line of text as printed: NFC (precomposed Vietnamese letters), spaces collapsed.

    Text typed elsewhere may arrive decomposed (a base letter plus combining marks); without
    text shaping those marks would print beside their letters, so they are composed first.
    """
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


_BULLET = re.compile(r"^(?:[-*•–—+]|\d{1,3}[.)])(?:\s+|$)")


def lines_of(text: str) -> list[str]:
    """The non-empty lines of ``text``, without list bullets or numbers (the form numbers them)."""
    lines = (_BULLET.sub("", clean(line)) for line in text.splitlines())
    return [line for line in lines if line]


def local(value: datetime.datetime) -> datetime.datetime:
    """``value`` in Vietnam's time zone, whatever time zone the request activated."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, VIETNAM)
    return timezone.localtime(value, VIETNAM)


def date_vn(value: datetime.date | datetime.datetime | None) -> str:
    """dd/mm/yyyy, of the local date for a moment; an em dash when there is none."""
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        value = local(value).date()
    return f"{value:%d/%m/%Y}"


def moment_vn(value: datetime.datetime | None) -> str:
    """``08 giờ 30 phút, ngày 26/11/2025`` as the forms write a time."""
    if value is None:
        return "—"
    moment = local(value)
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def short_moment_vn(value: datetime.datetime) -> str:
    """``08:30 26/11/2025``, for table cells."""
    return f"{local(value):%H:%M %d/%m/%Y}"


def when_vn(value: datetime.date | datetime.datetime) -> str:
    """A moment with its time of day, a date alone as dd/mm/yyyy."""
    if isinstance(value, datetime.datetime):
        return moment_vn(value)
    return date_vn(value)


def place_name(agency: Agency) -> str:
    """The province or city of the agency, as the place line writes it (``Đà Nẵng``)."""
    try:
        name = Province.from_code(ProvinceCode(agency.province_code)).name
    except (ValueError, KeyError, LookupError):
        return ""
    return re.sub(r"^(?:Thành phố|Tỉnh)\s+", "", name)


def place_and_date(agency: Agency, day: datetime.date) -> str:
    """``Đà Nẵng, ngày 05 tháng 01 năm 2026``: the place-and-date line of the document.

    Decree 30/2020 writes days below 10 and months below 3 with a leading zero.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    place = place_name(agency)
    return f"{place}, {text}" if place else text.capitalize()


def qr_png(data: str) -> bytes:
    """A QR code of ``data`` as a black-and-white PNG (error correction M)."""
    out = io.BytesIO()
    segno.make(data, error="m", micro=False).save(out, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return out.getvalue()


# --- the page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    """One signature block: the role, the hint under it, the name printed after the gap."""

    role: str
    hint: str = "(Ký và ghi rõ họ tên)"
    name: str = ""


class FormPDF(FPDF):
    """One form: an A4 page with the national header; text helpers; ``render()`` to bytes."""

    def __init__(self, *, form: str, title: str, agency: Agency, code: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.form = form
        self.agency = agency
        self.code = code
        self.add_font(FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(left=LEFT, top=TOP, right=RIGHT)
        self.set_auto_page_break(auto=True, margin=BOTTOM)
        self.set_title(f"{title} – {code}")
        self.set_subject(f"{form} – hồ sơ {code}")
        self.set_author(clean(agency.name))
        self.set_creator("Motcua")
        self.set_keywords(f"{code} {form}")
        self.set_lang("vi")
        self.set_font(FAMILY, size=BODY_SIZE)
        self.add_page()

    # fpdf2 calls this at the end of every page.
    def footer(self) -> None:
        self.set_y(-BOTTOM + 6)
        self.set_font(FAMILY, size=8)
        self.set_text_color(110)
        self.cell(
            0, 4, f"{self.form} · Mã hồ sơ {self.code} · Trang {self.page_no()}/{{nb}}", align="C"
        )
        self.set_text_color(0)
        self.set_font(FAMILY, size=BODY_SIZE)

    @property
    def width(self) -> float:
        """Width of the text column."""
        return self.w - self.l_margin - self.r_margin

    def render(self) -> bytes:
        return bytes(self.output())

    # --- the header --------------------------------------------------------------------------

    def heading(self, title: str, *, issued_on: datetime.date) -> None:
        """Form number, agency and national blocks, place and date, the title."""
        self.set_font(FAMILY, size=9)
        self.cell(0, 4, self.form, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        top = self.get_y()
        national_width = self.width - AGENCY_BLOCK

        # Left: parent agency (if any), the agency in bold, a short rule under it.
        self.set_font(FAMILY, size=10)
        if self.agency.parent is not None:
            self._block(clean(self.agency.parent.name).upper(), LEFT, AGENCY_BLOCK)
        self.set_font(FAMILY, "B", 10)
        self._block(clean(self.agency.name).upper(), LEFT, AGENCY_BLOCK)
        self._rule(LEFT, AGENCY_BLOCK, AGENCY_BLOCK / 3)
        left_end = self.get_y()

        # Right: national name and motto, the motto underlined as wide as itself.
        self.set_y(top)
        right = LEFT + AGENCY_BLOCK
        self.set_font(FAMILY, "B", self._fitting(NATION, national_width, "B", 10.5))
        self._block(NATION, right, national_width)
        self.set_font(FAMILY, "B", 10.5)
        self._block(MOTTO, right, national_width)
        self._rule(right, national_width, self.get_string_width(MOTTO))
        self.set_y(self.get_y() + 1.5)
        self.set_font(FAMILY, size=10)
        self._block(place_and_date(self.agency, issued_on), right, national_width)

        self.set_y(max(left_end, self.get_y()) + 6)
        self.set_font(FAMILY, "B", 13)
        self.multi_cell(0, 6.5, title.upper(), align=Align.C, new_x=XPos.LMARGIN)
        self.ln(4)
        self.set_font(FAMILY, size=BODY_SIZE)

    def _block(self, text: str, x: float, width: float) -> None:
        self.set_x(x)
        self.multi_cell(width, 5, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _rule(self, x: float, block: float, length: float) -> None:
        y = self.get_y() + 0.8
        start = x + (block - length) / 2
        self.set_line_width(0.3)
        self.line(start, y, start + length, y)
        self.set_y(y + 0.5)

    def _fitting(self, text: str, width: float, style: str, size: float) -> float:
        """The largest size up to ``size`` at which ``text`` fits on one line of ``width``."""
        while size > 7:
            self.set_font(FAMILY, style, size)
            if self.get_string_width(text) <= width - 2:
                break
            size -= 0.5
        return size

    # --- body text ---------------------------------------------------------------------------

    def paragraph(self, text: str, *, bold: bool = False, indent: float = 0) -> None:
        self.set_font(FAMILY, "B" if bold else "", BODY_SIZE)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.width - indent, LINE, clean(text), align=Align.J, new_x=XPos.LMARGIN)
        self.set_font(FAMILY, size=BODY_SIZE)

    def field(self, label: str, value: object, *, indent: float = 0) -> None:
        """``label: value``, the value in bold, wrapping under the label when long."""
        self.set_x(self.l_margin + indent)
        self.set_font(FAMILY, size=BODY_SIZE)
        self.write(LINE, f"{label}: ")
        self.set_font(FAMILY, "B", BODY_SIZE)
        self.write(LINE, clean(value) or "—")
        self.set_font(FAMILY, size=BODY_SIZE)
        self.ln(LINE)

    def numbered(self, items: Iterable[str], *, indent: float = 5) -> None:
        """A numbered list with hanging lines."""
        self.set_font(FAMILY, size=BODY_SIZE)
        for number, item in enumerate(items, start=1):
            mark = f"{number}."
            self.set_x(self.l_margin + indent)
            self.cell(8, LINE, mark)
            self.multi_cell(
                self.width - indent - 8, LINE, clean(item), align=Align.L, new_x=XPos.LMARGIN
            )

    def gap(self, height: float = 2) -> None:
        self.ln(height)

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` more millimetres fit on this one."""
        if self.will_page_break(height):
            self.add_page()

    def signatures(self, left: Signer | None, right: Signer | None, *, space: float = 22) -> None:
        """Up to two signature blocks side by side (the signer's name printed under the gap)."""
        self.keep(space + 22)
        self.gap(6)
        top = self.get_y()
        half = self.width / 2
        ends = [top]
        for signer, x in ((left, LEFT), (right, LEFT + half)):
            if signer is None:
                continue
            self.set_y(top)
            self.set_font(FAMILY, "B", BODY_SIZE)
            self._block(signer.role.upper(), x, half)
            self.set_font(FAMILY, size=9)
            self._block(signer.hint, x, half)
            self.set_y(self.get_y() + space)
            if signer.name:
                self.set_font(FAMILY, "B", BODY_SIZE)
                self._block(clean(signer.name), x, half)
            ends.append(self.get_y())
        self.set_y(max(ends))
        self.set_font(FAMILY, size=BODY_SIZE)

    def grid(
        self,
        headings: Sequence[str],
        rows: Iterable[Sequence[str]],
        *,
        widths: Sequence[float],
        aligns: Sequence[str],
    ) -> None:
        """A bordered table; its heading row is bold, grey and repeated on every page."""
        self.set_font(FAMILY, size=9.5)
        with self.table(
            col_widths=tuple(widths),
            width=self.width,
            align=Align.L,
            text_align=tuple(aligns),
            line_height=5,
            padding=1,
            headings_style=FontFace(emphasis="BOLD", fill_color=235),
            first_row_as_headings=True,
        ) as table:
            heading = table.row()
            for text in headings:
                heading.cell(text, align=Align.C)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(clean(value))
        self.set_font(FAMILY, size=BODY_SIZE)

    def qr(self, data: str, *, x: float, y: float, size: float) -> None:
        """A QR code of ``data``, ``size`` millimetres wide, also a link to it."""
        self.image(
            io.BytesIO(qr_png(data)),
            x=x,
            y=y,
            w=size,
            h=size,
            link=data,
            alt_text="Mã QR tra cứu hồ sơ",
        )

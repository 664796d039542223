"""Branded PDF documents (ReportLab): statements, the table of guarantees, certificates, cards.

Every document starts with the insurer's logo (or name) and colours from `portal.Branding`,
and ends each page with the insurer's name and the page number. Text is set in Helvetica,
whose WinAnsi encoding carries every French letter (é, è, ç, œ, …) and the euro sign.
"""

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Image

from portal.models import Branding

MARGIN = 18 * mm
# Every document is in French (the /Lang of the PDF, read out by screen readers).
LANG = "fr-FR"
LOGO_HEIGHT = 14 * mm


def euros(value: Decimal | None) -> str:
    """1234.5 -> "1 234,50 €" (French grouping; pages keep an amount on one line with CSS)."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    units, cents = f"{abs(value):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{' '.join(groups)},{cents} €"


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@dataclass
class Brand:
    """What a document takes from the white-label settings, read once per document."""

    name: str
    primary: colors.Color
    accent: colors.Color
    phone: str
    address: str
    amc_number: str
    legal_mentions: str
    # The logo's bytes and its size in pixels, or None when there is none (or it is unreadable).
    logo: bytes | None
    logo_size: tuple[int, int] = (0, 0)

    @classmethod
    def current(cls) -> "Brand":
        branding = Branding.current()
        logo, size = None, (0, 0)
        if branding.logo:
            try:
                with branding.logo.open("rb") as handle:
                    logo = handle.read()
                size = ImageReader(io.BytesIO(logo)).getSize()
            except Exception:  # noqa: BLE001 - a broken logo must not cost the member the PDF
                logo, size = None, (0, 0)
        return cls(
            name=branding.insurer_name,
            primary=colors.HexColor(branding.primary_colour),
            accent=colors.HexColor(branding.accent_colour),
            phone=branding.contact_phone,
            address=branding.postal_address,
            amc_number=branding.amc_number,
            legal_mentions=branding.document_legal_mentions,
            logo=logo,
            logo_size=size,
        )


class Styles:
    """The paragraph styles of every document, in the brand's colour."""

    def __init__(self, brand: Brand):
        base = getSampleStyleSheet()
        self.body = ParagraphStyle("body", parent=base["BodyText"], fontSize=9.5, leading=12.5)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10)
        self.title = ParagraphStyle(
            "title", parent=base["Title"], fontSize=16, leading=20, textColor=brand.primary,
            alignment=0, spaceAfter=4 * mm,
        )  # fmt: skip
        self.heading = ParagraphStyle(
            "heading", parent=base["Heading2"], fontSize=11.5, leading=14,
            textColor=brand.primary, spaceBefore=4 * mm, spaceAfter=2 * mm,
        )  # fmt: skip
        self.right = ParagraphStyle("right", parent=self.body, alignment=TA_RIGHT)
        self.strong = ParagraphStyle("strong", parent=self.body, fontName="Helvetica-Bold")
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8.5, leading=10.5)
        self.cell_head = ParagraphStyle(
            "cell_head", parent=self.cell, fontName="Helvetica-Bold", textColor=colors.white
        )


def text(value, style) -> Paragraph:
    """A paragraph of plain text (escaped: names and labels are data, not markup)."""
    return Paragraph(escape(str(value)), style)


class Document:
    """A branded A4 document being written: add flowables to `story`, then `render()`."""

    def __init__(self, title: str, *, subject: str = ""):
        self.title = title
        self.subject = subject
        self.brand = Brand.current()
        self.styles = Styles(self.brand)
        self.story: list[Flowable] = []
        # The same content as plain blocks, for the document's HTML page (its accessible
        # alternative): ("heading", text), ("paragraph", text), ("small", text),
        # ("facts", [(label, value)]), ("table", header, rows).
        self.blocks: list[tuple] = []
        self._finished = False
        self._header()

    def _header(self):
        brand = self.brand
        if brand.logo is not None:
            width, height = brand.logo_size
            logo = Image(
                io.BytesIO(brand.logo), width=LOGO_HEIGHT * width / height, height=LOGO_HEIGHT
            )
            logo.hAlign = "LEFT"
            self.story.append(logo)
            self.story.append(Spacer(1, 2 * mm))
        name_style = ParagraphStyle(
            "brand", parent=self.styles.title, fontSize=13, leading=16, spaceAfter=0
        )
        self.story.append(text(brand.name, name_style))
        if brand.address:
            for line in brand.address.splitlines():
                self.story.append(text(line, self.styles.small))
        self.story.append(Spacer(1, 5 * mm))
        self.story.append(text(self.title, self.styles.title))

    # -- Building blocks ----------------------------------------------------------------
    def heading(self, value: str):
        self.story.append(text(value, self.styles.heading))
        self.blocks.append(("heading", str(value)))

    def paragraph(self, value: str, style=None):
        self.story.append(text(value, style or self.styles.body))
        kind = "small" if style is self.styles.small else "paragraph"
        self.blocks.append((kind, str(value)))

    def spacer(self, height=4 * mm):
        self.story.append(Spacer(1, height))

    def facts(self, pairs: list[tuple[str, str]]):
        """Label / value lines ("Numéro d'adhérent : 100001") as a two-column table."""
        self.blocks.append(("facts", [(str(label), str(value)) for label, value in pairs]))
        rows = [
            [text(label, self.styles.cell), text(value, self.styles.cell)] for label, value in pairs
        ]
        table = Table(rows, colWidths=[55 * mm, None], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ]
            )
        )
        self.story.append(table)

    def table(self, header: list[str], rows: list[list], *, widths=None, numeric=(), total=None):
        """A table with the header in the brand's colour, zebra rows and right-aligned numeric
        columns (their indexes in `numeric`); `total` is an optional last row set in bold."""
        styles = self.styles
        self.blocks.append(
            (
                "table",
                [str(cell) for cell in header],
                [[str(cell) for cell in row] for row in [*rows, *([total] if total else [])]],
            )
        )
        data = [[text(cell, styles.cell_head) for cell in header]]
        for row in [*rows, *([total] if total else [])]:
            data.append(
                [
                    text(cell, styles.right if index in numeric else styles.cell)
                    for index, cell in enumerate(row)
                ]
            )
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        commands = [
            ("BACKGROUND", (0, 0), (-1, 0), self.brand.primary),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b8c2cc")),
        ]
        for index in range(2, len(data), 2):
            commands.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#f2f5f8")))
        if total:
            commands.append(("LINEABOVE", (0, -1), (-1, -1), 1, self.brand.primary))
        table.setStyle(TableStyle(commands))
        self.story.append(table)

    # -- Output -------------------------------------------------------------------------
    def _page_footer(self, canvas, document):
        if self.on_page is not None:
            self.on_page(document.page)
        canvas.saveState()
        canvas.setStrokeColor(self.brand.primary)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, 14 * mm, A4[0] - MARGIN, 14 * mm)
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#444444"))
        # The insurer's name and logo head the first page once; the foot keeps the phone.
        if self.brand.phone:
            canvas.drawString(MARGIN, 10 * mm, _("Tél. %(phone)s") % {"phone": self.brand.phone})
        canvas.restoreState()

    # Called with each page's number as it is drawn (the progress of a long document).
    on_page = None

    def finish(self):
        """Close the document with the legal mentions of the branding ("mentions légales des
        documents"), once."""
        if self._finished:
            return
        self._finished = True
        if self.brand.legal_mentions:
            self.story.append(Spacer(1, 6 * mm))
            for line in self.brand.legal_mentions.splitlines():
                if line.strip():
                    self.paragraph(line, self.styles.small)

    def render(self) -> bytes:
        self.finish()
        buffer = io.BytesIO()
        page_label = _("Page %(number)d / %(total)d")

        class Canvas(_NumberedCanvas):
            label = page_label

        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=22 * mm,
            title=self.title,
            author=self.brand.name,
            subject=self.subject,
            creator="Guichet",
            lang=LANG,
            displayDocTitle=1,
        )
        document.build(
            self.story,
            onFirstPage=self._page_footer,
            onLaterPages=self._page_footer,
            canvasmaker=Canvas,
        )
        return buffer.getvalue()


class _NumberedCanvas(Canvas):
    """Writes "Page N / M" at the foot of every page once the number of pages is known: the
    pages are kept until the document is saved."""

    label = "Page %(number)d / %(total)d"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.saveState()
            self.setFont("Helvetica", 7.5)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawRightString(
                A4[0] - MARGIN, 10 * mm, self.label % {"number": self._pageNumber, "total": total}
            )
            self.restoreState()
            super().showPage()
        super().save()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF to download, never to be sniffed or cached by a shared proxy."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

"""The tiers-payant card as PDFs (guide 003 "Ma carte de tiers payant"), in the layout of the
harmonised inter-AMC attestation: a standard block, the validity period at its top left, then
the AMC number, the type of convention, the secondary routing criterion and the member number;
the beneficiaries with their full social security number (NIR), birth rank and fund; each care
domain with its code and its rate or "TP"/"SP"; a DataMatrix carrying the routing data; "R"
for a contrat responsable; on the back, the operator and the professionals' line.

Two formats of the same drawing (`CardFace`):
- `card_wallet_pdf`: the card at its real size, 85.6 x 54 mm (ISO/IEC 7810 ID-1), front and
  back on two pages whose trim box is the card, with cut marks around it;
- `card_sheet_pdf`: an A4 sheet with the card (front and back, cut marks) and its explanations.
"""

import io

from django.utils.translation import gettext as _
from PIL import Image as PILImage
from reportlab.graphics.barcode.ecc200datamatrix import ECC200DataMatrix
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from cover.documents import TiersPayantCard, same_value_mention
from cover.pdf import Brand, Document, day

CARD_WIDTH = 85.6 * mm
CARD_HEIGHT = 54 * mm
CUT_MARGIN = 8 * mm  # room for the cut marks around the card
MARK = 5 * mm  # length of a cut mark
PAD = 2.5 * mm
LANG = "fr-FR"
GREY = colors.HexColor("#444444")
LINE = colors.HexColor("#b8c2cc")
# How many people fit on the front; more go on the back.
FRONT_PEOPLE = 4


def datamatrix_image(data: str) -> PILImage.Image:
    """The ECC200 DataMatrix of `data` (ReportLab's encoder, 44 x 44 modules) as a 1-bit
    image with its quiet zone, one pixel per module: printed without smoothing."""
    code = ECC200DataMatrix(value=data)
    code.validate()
    matrix = list(reversed(code.encode()))  # ReportLab keeps it bottom row first
    quiet = 2
    size = len(matrix) + 2 * quiet
    image = PILImage.new("1", (size, size), 1)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                image.putpixel((x + quiet, y + quiet), 0)
    return image


def _png(image: PILImage.Image) -> ImageReader:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def cut_marks(canvas: Canvas, x: float, y: float, width: float, height: float):
    """Crop marks at the four corners of the box (x, y, width, height), outside it."""
    canvas.saveState()
    canvas.setLineWidth(0.3)
    canvas.setStrokeColor(colors.black)
    gap = 1.5 * mm
    for cx, dx in ((x, -1), (x + width, 1)):
        for cy, dy in ((y, -1), (y + height, 1)):
            canvas.line(cx + dx * gap, cy, cx + dx * (gap + MARK), cy)
            canvas.line(cx, cy + dy * gap, cx, cy + dy * (gap + MARK))
    canvas.restoreState()


class CardFace:
    """Draws one face of the card with its lower left corner at (x, y)."""

    def __init__(self, card: TiersPayantCard, brand: Brand):
        self.card = card
        self.brand = brand

    # -- Pieces ---------------------------------------------------------------------------
    def _frame(self, canvas, x, y):
        canvas.setStrokeColor(self.brand.primary)
        canvas.setLineWidth(0.8)
        canvas.roundRect(x, y, CARD_WIDTH, CARD_HEIGHT, 3 * mm, stroke=1, fill=0)

    def _text(self, canvas, x, y, value, *, size=5.5, bold=False, colour=colors.black):
        canvas.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        canvas.setFillColor(colour)
        canvas.drawString(x, y, str(value))

    def harmonised_block(self) -> list[tuple[str, str]]:
        """The standard block, in its order: validity first (top left)."""
        card = self.card
        return [
            (
                _("Période de validité"),
                _("du %(start)s au %(end)s")
                % {"start": day(card.valid_from), "end": day(card.valid_until)},
            ),
            (_("N° AMC"), card.amc_number),
            (_("Type de convention"), card.convention_type),
            (_("Critère secondaire de routage"), card.routing_criterion),
            (_("N° d'adhérent"), card.member.member_number),
        ]

    # -- Faces ----------------------------------------------------------------------------
    def front(self, canvas: Canvas, x: float, y: float):
        card, brand = self.card, self.brand
        canvas.saveState()
        self._frame(canvas, x, y)
        top = y + CARD_HEIGHT - PAD
        # The harmonised block, top left, validity on its first line.
        block_width = 46 * mm
        lines = self.harmonised_block()
        block_height = 3.2 * mm * len(lines) + 1.5 * mm
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.5)
        canvas.rect(x + PAD, top - block_height, block_width, block_height, stroke=1, fill=0)
        line_y = top - 3 * mm
        for label, value in lines:
            self._text(canvas, x + PAD + 1.2 * mm, line_y, f"{label} :", size=4.6)
            self._text(canvas, x + PAD + 28.5 * mm, line_y, value, size=5.5, bold=True)
            line_y -= 3.2 * mm
        # Top right: the insurer, then the "R" of a contrat responsable and the DataMatrix.
        right = x + CARD_WIDTH - PAD
        name_x = x + PAD + block_width + 2 * mm
        name_width = right - name_x
        name_y = top - 2.3 * mm
        for line in simpleSplit(brand.name, "Helvetica-Bold", 6.5, name_width)[:2]:
            self._text(canvas, name_x, name_y, line, size=6.5, bold=True, colour=brand.primary)
            name_y -= 2.8 * mm
        self._text(canvas, name_x, name_y, _("Carte de tiers payant"), size=5, colour=GREY)
        code_size = 15 * mm
        code_top = name_y - 1.5 * mm
        canvas.drawImage(
            _png(datamatrix_image(card.routing_data)),
            right - code_size,
            code_top - code_size,
            code_size,
            code_size,
        )
        if card.responsible:
            badge = 5 * mm
            bx, by = name_x, code_top - badge
            canvas.setFillColor(brand.primary)
            canvas.roundRect(bx, by, badge, badge, 1 * mm, stroke=0, fill=1)
            self._text(canvas, bx + 1.4 * mm, by + 1.3 * mm, "R", size=8, bold=True,
                       colour=colors.white)  # fmt: skip
        code_height = top - (code_top - code_size)
        # The beneficiaries: name, NIR and birth rank, birth date, fund.
        table_top = top - max(block_height, code_height) - 2.2 * mm
        columns = [
            (_("Bénéficiaire"), 0),
            (_("N° de sécurité sociale / rang"), 29 * mm),
            (_("Né(e) le"), 58 * mm),
            (_("Caisse"), 70 * mm),
        ]
        for label, offset in columns:
            self._text(canvas, x + PAD + offset, table_top, label, size=4.5, colour=GREY)
        canvas.setStrokeColor(LINE)
        canvas.line(x + PAD, table_top - 0.8 * mm, right, table_top - 0.8 * mm)
        row_y = table_top - 3.2 * mm
        for person in card.people[:FRONT_PEOPLE]:
            name = simpleSplit(person.name, "Helvetica-Bold", 5.5, 28 * mm)[0]
            self._text(canvas, x + PAD, row_y, name, bold=True)
            nir = f"{person.nir_spaced} / {person.birth_rank}" if person.nir else "—"
            self._text(canvas, x + PAD + 29 * mm, row_y, nir)
            self._text(canvas, x + PAD + 58 * mm, row_y, day(person.birth_date))
            self._text(canvas, x + PAD + 70 * mm, row_y, person.organism_spaced or "—")
            row_y -= 2.9 * mm
        if len(card.people) > FRONT_PEOPLE:
            self._text(canvas, x + PAD, row_y, _("Autres bénéficiaires au verso."), size=4.5)
        # The care domains: code and rate, or TP / SP.
        if card.codes:
            cell = (CARD_WIDTH - 2 * PAD) / max(len(card.codes), 7)
            cy = y + PAD
            for index, (code, value) in enumerate(card.codes[:10]):
                cx = x + PAD + index * cell
                canvas.setStrokeColor(LINE)
                canvas.rect(cx, cy, cell, 6 * mm, stroke=1, fill=0)
                self._text(canvas, cx + 0.8 * mm, cy + 3.6 * mm, code, size=5, bold=True)
                self._text(canvas, cx + 0.8 * mm, cy + 1.0 * mm, value, size=5)
        canvas.restoreState()

    def back(self, canvas: Canvas, x: float, y: float):
        card, brand = self.card, self.brand
        canvas.saveState()
        self._frame(canvas, x, y)
        width = CARD_WIDTH - 2 * PAD
        line_y = y + CARD_HEIGHT - PAD - 2.5 * mm
        self._text(canvas, x + PAD, line_y, brand.name, size=6.5, bold=True, colour=brand.primary)
        line_y -= 3.2 * mm

        def lines(value, *, size=5.2, bold=False):
            nonlocal line_y
            for line in simpleSplit(value, "Helvetica-Bold" if bold else "Helvetica", size, width):
                self._text(canvas, x + PAD, line_y, line, size=size, bold=bold)
                line_y -= size * 0.45 * mm
            line_y -= 0.6 * mm

        if card.operator:
            lines(_("Opérateur de tiers payant : %(operator)s") % {"operator": card.operator},
                  bold=True)  # fmt: skip
        if card.professional_phone:
            lines(
                _("Professionnels de santé : %(phone)s") % {"phone": card.professional_phone},
                bold=True,
            )
        if brand.phone:
            lines(_("Adhérents : %(phone)s") % {"phone": brand.phone})
        if brand.address:
            lines(" ".join(brand.address.split()))
        for person in card.people[FRONT_PEOPLE:]:
            lines(
                f"{person.name} · {person.nir_spaced} / {person.birth_rank} · "
                f"{day(person.birth_date)} · {person.organism_spaced}"
            )
        lines(
            _(
                "TP : tiers payant. SP : tiers payant sur prise en charge demandée par le "
                "professionnel. Les taux sont en pourcentage de la base de remboursement."
            )
        )
        if card.responsible:
            lines(_("R : contrat solidaire et responsable."))
        lines(
            _(
                "Présentez cette carte avec votre carte Vitale. Elle n'est valable que pendant "
                "sa période de validité et pour les personnes qu'elle désigne."
            )
        )
        lines(same_value_mention(brand.name), size=4.8)
        canvas.restoreState()


def _metadata(canvas: Canvas, card: TiersPayantCard, brand: Brand):
    canvas.setTitle(_("Carte de tiers payant de %(name)s") % {"name": card.person.full_name})
    canvas.setAuthor(brand.name)
    canvas.setSubject(_("Carte de tiers payant"))
    canvas.setCreator("Guichet")
    canvas.setViewerPreference("DisplayDocTitle", "true")


def card_wallet_pdf(card: TiersPayantCard) -> bytes:
    """The card at its real size: page 1 the front, page 2 the back, each with cut marks and a
    trim box that is exactly the card (85.6 x 54 mm)."""
    brand = Brand.current()
    face = CardFace(card, brand)
    buffer = io.BytesIO()
    page = (CARD_WIDTH + 2 * CUT_MARGIN, CARD_HEIGHT + 2 * CUT_MARGIN)
    canvas = Canvas(buffer, pagesize=page, lang=LANG)
    _metadata(canvas, card, brand)
    trim = (CUT_MARGIN, CUT_MARGIN, CUT_MARGIN + CARD_WIDTH, CUT_MARGIN + CARD_HEIGHT)
    for draw in (face.front, face.back):
        canvas.setTrimBox(trim)
        draw(canvas, CUT_MARGIN, CUT_MARGIN)
        cut_marks(canvas, CUT_MARGIN, CUT_MARGIN, CARD_WIDTH, CARD_HEIGHT)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _CardFlowable(Flowable):
    """One face of the card at its real size, with its cut marks, inside an A4 document."""

    def __init__(self, face: CardFace, side: str):
        super().__init__()
        self.face, self.side = face, side
        self.width = CARD_WIDTH + 2 * CUT_MARGIN
        self.height = CARD_HEIGHT + 2 * CUT_MARGIN

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        getattr(self.face, self.side)(self.canv, CUT_MARGIN, CUT_MARGIN)
        cut_marks(self.canv, CUT_MARGIN, CUT_MARGIN, CARD_WIDTH, CARD_HEIGHT)


def card_sheet_pdf(card: TiersPayantCard) -> bytes:
    """An A4 sheet: the card, front and back at their real size with cut marks, and what it
    says."""
    document = Document(
        _("Carte de tiers payant de %(name)s") % {"name": card.person.full_name},
        subject=_("Carte de tiers payant"),
    )
    face = CardFace(card, document.brand)
    document.paragraph(_("Recto"), document.styles.small)
    document.story.append(_CardFlowable(face, "front"))
    document.paragraph(_("Verso"), document.styles.small)
    document.story.append(_CardFlowable(face, "back"))
    document.heading(_("Comment utiliser votre carte"))
    for paragraph in card_explanations(card, document.brand.name):
        document.paragraph(paragraph)
    return document.render()


def card_explanations(card: TiersPayantCard, insurer: str) -> list[str]:
    """The explanations printed under the card on the A4 sheet (and on its HTML page)."""
    explanations = [
        _(
            "Découpez la carte le long des traits de coupe, pliez-la au milieu ou collez le "
            "recto et le verso. Présentez-la, avec votre carte Vitale, à votre pharmacien, à "
            "votre laboratoire ou à l'établissement de santé pour ne pas avancer les frais pris "
            "en charge par l'Assurance Maladie et par %(insurer)s."
        )
        % {"insurer": insurer},
        _(
            "Le cadre en haut à gauche est le bloc normalisé que lisent les professionnels : "
            "période de validité, numéro AMC, type de convention, critère secondaire de routage "
            "et numéro d'adhérent. Le code 2D à droite porte les mêmes informations."
        ),
        _(
            "Chaque domaine de soins figure avec son code et son taux de prise en charge, ou "
            "« TP » (tiers payant) ou « SP » (tiers payant sur prise en charge demandée par le "
            "professionnel, par exemple chez l'opticien ou à l'hôpital)."
        ),
    ]
    if card.responsible:
        explanations.append(_("« R » signale un contrat solidaire et responsable."))
    if card.professional_phone:
        explanations.append(
            _("Les professionnels de santé peuvent nous joindre au %(phone)s.")
            % {"phone": card.professional_phone}
        )
    explanations.append(
        _(
            "En cas de perte ou de vol, vous pouvez l'imprimer de nouveau depuis votre espace. "
            "%(mention)s"
        )
        % {"mention": same_value_mention(insurer)}
    )
    return explanations

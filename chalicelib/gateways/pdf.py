"""One generic A4 renderer for invoices, credit notes, receipts, estimates and statements.

fpdf2 is imported inside `render_pdf` only: most Lambda invocations never render a PDF and
should not pay for the import on a cold start.

Text is set in Noto Sans, embedded from the package (fonts/, made by tools/fonts.py), so the
Lambda renders exactly like a laptop and names in any European script print as written
("Łódź", "Ωмега"): Latin, Greek and Cyrillic in Noto Sans, symbols Noto Sans lacks in a small
Noto Sans Math subset, and Chinese, Japanese and Korean in a Noto Sans CJK subset that is read
only for a document whose text needs it (it is 3.7 MB; the others are 0.3 MB together). PDF
files embed only the glyphs they use. A character no font has is shown as its base letter, or
"?", instead of failing the whole document.
"""

from __future__ import annotations

import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

ALIGNMENTS = ("L", "R", "C")
# The renderer's version: part of every kept PDF's fingerprint (services/documents/pdfs.py). Change it
# whenever the same PdfDocument would now print differently (layout, fonts, fpdf2), so that copies
# kept before are rendered again.
RENDERING = "1"


@dataclass(frozen=True)
class Party:
    name: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError("a table needs at least one column")
        if self.align and len(self.align) != len(self.columns):
            raise ValueError(f"align has {len(self.align)} entries for {len(self.columns)} columns")
        if any(alignment not in ALIGNMENTS for alignment in self.align):
            raise ValueError(f"align entries must be one of {ALIGNMENTS}")
        for index, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(f"row {index} has {len(row)} cells for {len(self.columns)} columns")

    def alignment(self, column: int) -> str:
        return self.align[column] if self.align else "L"


@dataclass(frozen=True)
class PdfDocument:
    title: str
    number: str | None
    issuer: Party
    recipient: Party
    facts: tuple[tuple[str, str], ...]
    table: Table
    totals: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    footer: str | None = None
    page_words: str = "Page {page} of {pages}"   # the running footer, in the reader's language


def render_pdf(doc: PdfDocument) -> bytes:
    FPDF, FontFace = _fpdf()
    pdf = _portico_pdf_class(FPDF)(doc)
    _write_metadata(pdf, doc)
    pdf.add_page()
    _write_header(pdf, doc)
    _write_parties_and_facts(pdf, doc)
    _write_table(pdf, doc.table, FontFace)
    _write_totals(pdf, doc.totals)
    _write_notes(pdf, doc.notes)
    return bytes(pdf.output())


def _fpdf() -> tuple[type, type]:
    """fpdf2, imported on first use (see the module docstring). The Lambda package leaves Pillow out,
    which fpdf2 needs only to embed images (these documents have none): its warning says just that."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Pillow could not be imported", category=UserWarning)
        from fpdf import FPDF
        from fpdf.fonts import FontFace
    return FPDF, FontFace


# --- text -----------------------------------------------------------------------------------

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "NotoSans"
SYMBOLS_FONT = "NotoSansSymbols"
CJK_FONT = "NotoSansCJK"
FONT_FILES = {  # family, style -> file
    (FONT, ""): "NotoSans-Regular.ttf",
    (FONT, "B"): "NotoSans-Bold.ttf",
    (SYMBOLS_FONT, ""): "NotoSansMath-Symbols.ttf",
    (CJK_FONT, ""): "NotoSansCJK-Common.ttf",
}
WHITESPACE_CONTROLS = "\r\n\t"


def pdf_text(text: str, covered: Callable[[str], bool]) -> str:
    """`text` restricted to what the document's fonts can show (`covered`)."""
    return "".join(_pdf_char(char, covered) for char in text)


def _pdf_char(char: str, covered: Callable[[str], bool]) -> str:
    if char in WHITESPACE_CONTROLS:
        return " "
    if _printable(char) and covered(char):
        return char
    if unicodedata.category(char) == "Cf":   # invisible formatting (a byte order mark): nothing to show
        return ""
    base = "".join(
        part
        for part in unicodedata.normalize("NFKD", char)
        if not unicodedata.combining(part) and _printable(part) and covered(part)
    )
    return base or "?"


def _printable(char: str) -> bool:
    return unicodedata.category(char) != "Cc"


def _every_text(doc: PdfDocument) -> str:
    parts = [doc.title, doc.number or "", doc.footer or "", doc.issuer.name, doc.recipient.name,
             *doc.issuer.lines, *doc.recipient.lines, *doc.notes, *doc.table.columns]
    parts += [text for pair in (*doc.facts, *doc.totals) for text in pair]
    parts += [cell for row in doc.table.rows for cell in row]
    return "".join(parts)


def _lacks_any(shown: set[int], text: str) -> bool:
    return any(ord(char) not in shown for char in text if _printable(char) and char not in WHITESPACE_CONTROLS)


def _add_fonts(pdf: Any, doc: PdfDocument) -> Callable[[str], bool]:
    """Adds the fonts `doc` needs (the CJK one only when its text has a character the others
    lack) and answers which characters they can show."""
    def add(family: str, style: str = "") -> set[int]:
        pdf.add_font(family, style, str(FONTS_DIR / FONT_FILES[family, style]))
        return set(pdf.fonts[family.lower() + style].cmap)

    shown = (add(FONT) & add(FONT, "B")) | add(SYMBOLS_FONT)
    fallbacks = [SYMBOLS_FONT]
    if _lacks_any(shown, _every_text(doc)):
        shown |= add(CJK_FONT)
        fallbacks.append(CJK_FONT)
    pdf.set_fallback_fonts(fallbacks, exact_match=False)   # bold CJK is set in the regular weight
    return lambda char: ord(char) in shown


# --- layout ---------------------------------------------------------------------------------

MARGIN_MM = 18
INK = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (206, 212, 218)
STRIPE = (245, 247, 250)
HEADING_FILL = (233, 236, 239)
LINE_MM = 5


def _portico_pdf_class(fpdf_class: type) -> type:
    class PorticoPdf(fpdf_class):  # type: ignore[misc, valid-type]
        def __init__(self, doc: PdfDocument) -> None:
            super().__init__(orientation="P", unit="mm", format="A4")
            self._covered = _add_fonts(self, doc)
            self.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
            self.set_auto_page_break(auto=True, margin=MARGIN_MM + 6)
            self.alias_nb_pages()
            self._running_title = self.shown(_label(doc))
            self._footer_text = self.shown(doc.footer or "")
            self._page_words = self.shown(doc.page_words)

        def shown(self, text: str) -> str:
            return pdf_text(text, self._covered)

        def header(self) -> None:
            if self.page_no() == 1:
                return
            self.set_font(FONT, "", 8)
            self.set_text_color(*MUTED)
            self.cell(0, 4, self._running_title, align="R")
            self.ln(8)

        def footer(self) -> None:
            self.set_y(-(MARGIN_MM - 2))
            self.set_font(FONT, "", 8)
            self.set_text_color(*MUTED)
            self.set_draw_color(*RULE)
            self.line(self.l_margin, self.get_y() - 2, self.w - self.r_margin, self.get_y() - 2)
            footer_width = self.epw * 0.75
            self.cell(footer_width, 4, _fitted(self, self._footer_text, footer_width), align="L")
            self.cell(0, 4, self._page_words.format(page=self.page_no(), pages="{nb}"), align="R")

    return PorticoPdf


def _label(doc: PdfDocument) -> str:
    return " ".join(filter(None, (doc.title, doc.number)))


def _write_metadata(pdf: Any, doc: PdfDocument) -> None:
    pdf.set_title(_label(doc))
    pdf.set_author(doc.issuer.name)
    pdf.set_subject(f"{doc.title} for {doc.recipient.name}")
    pdf.set_creator("Portico")


def _write_header(pdf: Any, doc: PdfDocument) -> None:
    top = pdf.get_y()
    half = pdf.epw / 2

    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(half, 7, pdf.shown(doc.issuer.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*MUTED)
    for line in doc.issuer.lines:
        pdf.multi_cell(half, 4.5, pdf.shown(line), new_x="LMARGIN", new_y="NEXT")
    issuer_bottom = pdf.get_y()

    pdf.set_xy(pdf.l_margin + half, top)
    pdf.set_text_color(*INK)
    title = pdf.shown(doc.title.upper())
    _set_font_fitting(pdf, title, half, style="B", largest=20, smallest=13)
    pdf.multi_cell(half, 9, title, align="R", new_x="LEFT", new_y="NEXT")
    if doc.number:
        pdf.set_font(FONT, "", 11)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(half, 6, pdf.shown(doc.number), align="R", new_x="LEFT", new_y="NEXT")

    pdf.set_y(max(issuer_bottom, pdf.get_y()) + 4)
    _rule(pdf)
    pdf.ln(5)


def _write_parties_and_facts(pdf: Any, doc: PdfDocument) -> None:
    top = pdf.get_y()
    left_width = pdf.epw * 0.55
    facts_x = pdf.l_margin + left_width
    facts_width = pdf.epw - left_width

    _caption(pdf, "Customer")
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(left_width - 4, 5.5, pdf.shown(doc.recipient.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    for line in doc.recipient.lines:
        pdf.multi_cell(left_width - 4, 4.5, pdf.shown(line), new_x="LMARGIN", new_y="NEXT")
    recipient_bottom = pdf.get_y()

    pdf.set_y(top)
    for label, value in doc.facts:
        pdf.set_x(facts_x)
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(facts_width * 0.45, LINE_MM, pdf.shown(label), align="L")
        pdf.set_font(FONT, "B", 9)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, LINE_MM, pdf.shown(value), align="R", new_x="LMARGIN", new_y="NEXT")

    pdf.set_y(max(recipient_bottom, pdf.get_y()) + 7)


def _write_table(pdf: Any, table: Table, font_face: type) -> None:
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    headings = font_face(emphasis="BOLD", color=INK, fill_color=HEADING_FILL, size_pt=9)
    with pdf.table(
        col_widths=_column_widths(pdf, table),
        text_align=tuple(table.alignment(i) for i in range(len(table.columns))),
        headings_style=headings,
        borders_layout="HORIZONTAL_LINES",
        cell_fill_color=STRIPE,
        cell_fill_mode="ROWS",
        line_height=LINE_MM,
        padding=(1.2, 1),
        repeat_headings=1,
        width=pdf.epw,
    ) as rendered:
        rendered.row([pdf.shown(column) for column in table.columns])
        for row in table.rows:
            rendered.row([pdf.shown(cell) for cell in row])
        if not table.rows:
            empty = rendered.row()
            empty.cell("Nothing to show.", colspan=len(table.columns), align="C")
    pdf.ln(4)


def _column_widths(pdf: Any, table: Table) -> tuple[float, ...]:
    """Every column as wide as its content; the widest (the description) takes the rest."""
    padding = 5
    natural = [
        max(pdf.get_string_width(pdf.shown(cell)) for cell in column_cells) + padding
        for column_cells in zip(table.columns, *table.rows, strict=True)
    ]
    flexible = natural.index(max(natural))
    fixed = sum(width for i, width in enumerate(natural) if i != flexible)
    if fixed > pdf.epw * 0.75:
        return tuple(natural)  # content too wide: share the page in proportion
    natural[flexible] = pdf.epw - fixed
    return tuple(natural)


def _write_totals(pdf: Any, totals: tuple[tuple[str, str], ...]) -> None:
    if not totals:
        return
    block_width = pdf.epw * 0.45
    label_width = block_width * 0.55
    x = pdf.l_margin + pdf.epw - block_width
    if pdf.will_page_break(LINE_MM * (len(totals) + 1) + 2):
        pdf.add_page()
    for index, (label, value) in enumerate(totals):
        is_last = index == len(totals) - 1
        if is_last and len(totals) > 1:
            pdf.set_draw_color(*RULE)
            pdf.line(x, pdf.get_y() + 0.5, x + block_width, pdf.get_y() + 0.5)
            pdf.ln(1.5)
        pdf.set_x(x)
        pdf.set_text_color(*INK)
        pdf.set_font(FONT, "B" if is_last else "", 11 if is_last else 9.5)
        height = 7 if is_last else LINE_MM + 0.5
        pdf.cell(label_width, height, pdf.shown(label), align="R")
        pdf.cell(block_width - label_width, height, pdf.shown(value), align="R")
        pdf.ln(height)


def _write_notes(pdf: Any, notes: tuple[str, ...]) -> None:
    if not notes:
        return
    pdf.ln(6)
    _caption(pdf, "Notes")
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*INK)
    for note in notes:
        for paragraph in note.splitlines() or [""]:
            pdf.multi_cell(0, 4.5, pdf.shown(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)


def _set_font_fitting(pdf: Any, text: str, width: float, *, style: str, largest: int, smallest: int) -> None:
    """The largest size that fits `text` on one line, down to `smallest` (then it wraps)."""
    for size in range(largest, smallest - 1, -1):
        pdf.set_font(FONT, style, size)
        if pdf.get_string_width(text) + 2 * pdf.c_margin <= width:
            return


def _fitted(pdf: Any, text: str, width: float) -> str:
    """`text` cut short with "..." to fit on one line of `width` in the current font."""
    if pdf.get_string_width(text) + 2 * pdf.c_margin <= width:
        return text
    while text and pdf.get_string_width(text + "...") + 2 * pdf.c_margin > width:
        text = text[:-1]
    return text + "..."


def _caption(pdf: Any, text: str) -> None:
    pdf.set_font(FONT, "B", 8)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 4.5, text.upper(), new_x="LMARGIN", new_y="NEXT")


def _rule(pdf: Any) -> None:
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())

"""PDF rendering with fpdf2, read back with pypdf."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from chalicelib.gateways.pdf import Party, PdfDocument, Table, pdf_text, render_pdf

WORKTREE_ROOT = Path(__file__).resolve().parents[2]


def an_invoice(line_count: int = 3, **overrides) -> PdfDocument:
    rows = tuple(
        (f"Pro plan seat {n:02d} (2026-11-01 to 2026-11-30)", "1", "USD 25.00", "USD 25.00")
        for n in range(1, line_count + 1)
    )
    fields = dict(
        title="Invoice",
        number="INV-000042",
        issuer=Party("Acme Analytics Ltd", ("1 Harbour Street", "Bristol BS1 4XX", "billing@acme.example")),
        recipient=Party("Globex Corporation", ("Attn: Hank Scorpio", "hank@globex.example")),
        facts=(("Issued", "2026-11-25"), ("Due", "2026-12-25"), ("Status", "Unpaid")),
        table=Table(("Description", "Qty", "Unit price", "Amount"), rows, ("L", "R", "R", "R")),
        totals=(
            ("Subtotal", f"USD {25 * line_count:,}.00"),
            ("Credits applied", "USD -10.00"),
            ("Total", f"USD {25 * line_count - 10:,}.00"),
        ),
        notes=("Thank you for your business.\nPayment is due within 30 days.",),
        footer="Acme Analytics Ltd, VAT GB123456789",
    )
    return PdfDocument(**{**fields, **overrides})


def a_statement() -> PdfDocument:
    return PdfDocument(
        title="Statement of accounts",
        number=None,
        issuer=Party("Acme Analytics Ltd"),
        recipient=Party("Globex Corporation", ("hank@globex.example",)),
        facts=(("From", "2026-10-01"), ("To", "2026-10-31")),
        table=Table(
            ("Date", "Transaction", "Details", "Amount", "Payments", "Balance"),
            (
                ("2026-10-01", "Opening balance", "", "", "", "USD 50.00"),
                ("2026-10-05", "Invoice", "INV-000040", "USD 100.00", "", "USD 150.00"),
                ("2026-10-09", "Payment", "PAY-000007", "", "USD 120.00", "USD 30.00"),
                ("2026-10-20", "Credit note", "CN-000003", "USD -5.00", "", "USD 25.00"),
            ),
            ("L", "L", "L", "R", "R", "R"),
        ),
        totals=(
            ("Opening balance", "USD 50.00"),
            ("Invoiced amount", "USD 100.00"),
            ("Amount paid", "USD 120.00"),
            ("Credits", "USD 5.00"),
            ("Balance due", "USD 25.00"),
        ),
    )


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def all_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_an_invoice_is_a_pdf_with_its_parties_facts_and_totals():
    # When
    pdf = render_pdf(an_invoice())

    # Then
    assert pdf.startswith(b"%PDF-")
    reader = read(pdf)
    assert len(reader.pages) == 1
    text = all_text(reader)
    for expected in (
        "Acme Analytics Ltd", "1 Harbour Street", "INVOICE", "INV-000042",
        "Globex Corporation", "hank@globex.example",
        "Issued", "2026-11-25", "Due", "2026-12-25", "Unpaid",
        "Description", "Unit price", "Pro plan seat 03",
        "Subtotal", "USD 75.00", "Credits applied", "USD -10.00", "Total", "USD 65.00",
        "Thank you for your business.", "Payment is due within 30 days.",
        "VAT GB123456789", "Page 1 of 1",
    ):  # fmt: skip
        assert expected in text, expected


def test_the_document_is_a4_with_title_and_author_metadata():
    reader = read(render_pdf(an_invoice()))

    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    assert reader.metadata.title == "Invoice INV-000042"
    assert reader.metadata.author == "Acme Analytics Ltd"


def test_an_invoice_with_80_lines_breaks_across_pages_and_keeps_every_line():
    # When
    reader = read(render_pdf(an_invoice(line_count=80)))

    # Then every line appears once, the table headings repeat, pages are numbered
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    text = "\n".join(pages)
    for n in range(1, 81):
        assert text.count(f"Pro plan seat {n:02d} ") == 1, n
    assert all("Description" in page for page in pages if "Pro plan seat" in page)
    assert all(f"Page {i} of {len(pages)}" in page for i, page in enumerate(pages, start=1))
    assert "USD 2,000.00" in pages[-1] and "USD 1,990.00" in pages[-1]


def test_a_statement_shows_every_transaction_and_the_closing_balance():
    text = all_text(read(render_pdf(a_statement())))

    assert "STATEMENT OF ACCOUNTS" in text
    for expected in (
        "Opening balance", "INV-000040", "PAY-000007", "CN-000003",
        "USD 150.00", "USD 120.00", "USD -5.00", "Balance due", "USD 25.00",
        "2026-10-01", "2026-10-31", "Globex Corporation",
    ):  # fmt: skip
        assert expected in text, expected


def test_names_in_latin_greek_cyrillic_and_cjk_print_as_written():
    # Given names, places and amounts in many scripts and currencies
    doc = an_invoice(
        issuer=Party("Ωмега ООО 株式会社", ("Αθήνα, Ελλάδα", "Москва")),
        recipient=Party("Zoë Łukasiewicz", ("Łódź, Polska", "Straße 5 — 2. OG", "서울특별시 강남구", "Hà Nội")),
        totals=(("Total", "€ 65.00"), ("Balance due", "₹ 5,000.00 ≈ ¥ 9,000")),
    )

    # When
    text = all_text(read(render_pdf(doc)))

    # Then each reads back exactly as written
    for written in ("Ωмега ООО 株式会社", "Αθήνα, Ελλάδα", "Москва", "Zoë Łukasiewicz", "Łódź, Polska",
                    "Straße 5 — 2. OG", "서울특별시 강남구", "Hà Nội", "€ 65.00", "₹ 5,000.00 ≈ ¥ 9,000"):
        assert written in text, written


def test_cjk_in_a_bold_heading_prints_in_the_regular_weight():
    text = all_text(read(render_pdf(an_invoice(title="請求書", issuer=Party("東京商事株式会社")))))

    assert "請求書" in text and "東京商事株式会社" in text


def fonts_of(pdf: bytes) -> set[str]:
    page = read(pdf).pages[0]
    return {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in page["/Resources"]["/Font"].values()}


def test_the_cjk_font_is_embedded_only_in_a_document_whose_text_needs_it():
    latin = fonts_of(render_pdf(an_invoice(recipient=Party("Łódź Ωмега"))))
    cjk = fonts_of(render_pdf(an_invoice(recipient=Party("株式会社"))))

    assert not any("CJK" in font for font in latin)
    assert any("CJK" in font for font in cjk)


def test_a_document_without_cjk_text_never_reads_the_cjk_font(monkeypatch):
    # Given a CJK font file that cannot be read
    from chalicelib.gateways import pdf
    monkeypatch.setitem(pdf.FONT_FILES, (pdf.CJK_FONT, ""), "missing.ttf")

    # Then a document in European scripts (with line breaks in its notes) still renders
    assert render_pdf(an_invoice(recipient=Party("Łódź Ωмега"))).startswith(b"%PDF-")
    with pytest.raises(FileNotFoundError):
        render_pdf(an_invoice(recipient=Party("株式会社")))


def test_a_character_no_font_has_is_shown_as_its_base_letter_or_a_question_mark_instead_of_crashing():
    # Given text in scripts and symbols the fonts do not cover (Arabic, Devanagari, an emoji)
    doc = an_invoice(recipient=Party("مرحبا Ltd", ("नमस्ते 😀 ℌ",)))

    # When
    text = all_text(read(render_pdf(doc)))

    # Then the document renders, the rest degrades readably
    assert "????? Ltd" in text
    assert "H" in text and "Page 1 of 1" in text


def test_pdf_text_keeps_what_the_fonts_cover_and_replaces_the_rest():
    covered = lambda char: char not in "日Ｆ"  # noqa: E731 - a font lacking two characters

    assert pdf_text("Zoë Ł € “quoted” 本", covered) == "Zoë Ł € “quoted” 本"
    assert pdf_text("Ｆull", covered) == "Full"                    # its compatibility form, F
    assert pdf_text("日\tline\nbreak\x07", covered) == "? line break?"
    assert pdf_text("\ufeffInvoice", str.isascii) == "Invoice"        # an invisible mark no font has: dropped


def test_the_fonts_shipped_stay_within_their_budget_and_carry_their_license():
    fonts = WORKTREE_ROOT / "chalicelib" / "gateways" / "fonts"
    sizes = {path.name: path.stat().st_size for path in fonts.iterdir()}

    assert sum(size for name, size in sizes.items() if not name.startswith("NotoSansCJK")) < 400_000
    assert sizes["NotoSansCJK-Common.ttf"] < 4_000_000
    assert "SIL OPEN FONT LICENSE Version 1.1" in (fonts / "OFL.txt").read_text()


def test_an_empty_table_renders_a_placeholder_row():
    doc = an_invoice(table=Table(("Date", "Transaction"), ()))

    text = all_text(read(render_pdf(doc)))

    assert "Nothing to show." in text


def test_a_row_with_the_wrong_number_of_cells_is_refused():
    with pytest.raises(ValueError, match="row 1 has 2 cells for 3 columns"):
        Table(("A", "B", "C"), (("1", "2", "3"), ("1", "2")))


def test_an_alignment_per_column_is_required_when_any_is_given():
    with pytest.raises(ValueError, match="align has 1 entries for 2 columns"):
        Table(("A", "B"), (), ("R",))


def test_importing_the_pdf_module_does_not_import_fpdf():
    # Given a fresh interpreter, as on a Lambda cold start
    probe = "import sys, chalicelib.gateways.pdf; print('fpdf' in sys.modules)"

    # When
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=WORKTREE_ROOT, capture_output=True, text=True, check=True
    )

    # Then
    assert result.stdout.strip() == "False"

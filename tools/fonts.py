"""Makes the fonts the PDFs embed (chalicelib/gateways/fonts/) from Debian's Noto packages:
subsets, so the Lambda package carries what invoices need and no more. Run it again only to
change what they cover; the files are committed, and nothing is fetched at run time.

    apt-get install fonts-noto-core fonts-noto-cjk
    python -m tools.fonts

- NotoSans-{Regular,Bold}.ttf: Latin (with Vietnamese and IPA), Greek, Cyrillic, punctuation,
  currency and letterlike symbols, number forms: every name and amount in a European script.
- NotoSansMath-Symbols.ttf: the arrows, mathematical operators and shapes Noto Sans lacks (≈, ≤).
- NotoSansCJK-Common.ttf (Noto Sans CJK JP, regular only): kana, the Hangul of KS X 1001, and the
  ideographs of GB 2312, JIS X 0208 and Big5 level 1 (13,227 characters), loaded only for a
  document whose text needs it. Its outlines are converted to TrueType: fpdf2 embeds a CFF font
  with a custom CMap that some readers (pypdf) decode one byte at a time, so the PDF's text
  could not be read back; as TrueType it is Identity-H like the others (3.7 MB, 2.2 MB zipped).

All are under the SIL Open Font License 1.1 (OFL.txt), which allows embedding and redistributing
them, modified (subset) or not; Noto reserves no font name.
"""
from __future__ import annotations

import io
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

OUT = Path(__file__).resolve().parents[1] / "chalicelib" / "gateways" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_CJK_JAPANESE = 0          # the collection's first face: Noto Sans CJK JP
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-core/copyright")


def span(first: int, last: int) -> set[int]:
    return set(range(first, last + 1))


LATIN_GREEK_CYRILLIC = (span(0x20, 0x7E) | span(0xA0, 0x36F) | span(0x370, 0x3FF) | span(0x400, 0x52F)
                        | span(0x1E00, 0x1FFF) | span(0x2000, 0x218F) | span(0xFB00, 0xFB06) | {0xFFFD})
SYMBOLS = span(0x2190, 0x23FF) | span(0x25A0, 0x25FF)


def _in_two_bytes(codec: str, code_point: int) -> bool:
    try:
        return len(chr(code_point).encode(codec)) == 2
    except UnicodeEncodeError:
        return False


def common_cjk() -> set[int]:
    """The characters of the national standard sets every CJK system supports."""
    ideographs = span(0x4E00, 0x9FFF)
    big5_level_1 = {cp for cp in ideographs if _in_two_bytes("big5", cp)
                    and 0xA440 <= int.from_bytes(chr(cp).encode("big5"), "big") <= 0xC67E}
    return ({cp for cp in ideographs if _in_two_bytes("gb2312", cp) or _in_two_bytes("shift_jis", cp)}
            | big5_level_1
            | {cp for cp in span(0xAC00, 0xD7A3) if _in_two_bytes("euc_kr", cp)}     # KS X 1001 Hangul
            | span(0x3000, 0x30FF) | span(0x3130, 0x318F) | span(0x31F0, 0x31FF)        # punctuation, kana, jamo
            | span(0xFF00, 0xFFEF))                                                     # full and half width


def _subset(font: TTFont, code_points: set[int], features: list[str]) -> bytes:
    options = subset.Options()
    options.layout_features = features
    options.hinting = False                   # PDF viewers render unhinted
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG", "DSIG"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]   # keep the copyright and license notices
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=code_points)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _with_truetype_outlines(font: TTFont) -> TTFont:
    """The font with its CFF (cubic) outlines redrawn as TrueType (quadratic) ones, within 1 unit."""
    order = font.getGlyphOrder()
    drawn = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(drawn)
        drawn[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    del font["CFF "]
    font["glyf"], font["loca"] = glyf, newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for limit in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxPoints",
                  "maxContours", "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, limit, 0)      # the points and contours are counted again on saving
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    return font


def ofl_text() -> str:
    """The license, as Debian's copyright file carries it."""
    section = DEBIAN_COPYRIGHT.read_text().split("\nLicense: OFL-1.1\n")[-1]
    lines = []
    for line in section.splitlines():
        if line and not line.startswith(" "):
            break
        lines.append("" if line.strip() == "." else line[1:])
    return "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007\n\n" + "\n".join(lines).strip() + "\n"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    latin = set()
    for style in ("Regular", "Bold"):
        font = TTFont(NOTO / f"NotoSans-{style}.ttf")
        (OUT / f"NotoSans-{style}.ttf").write_bytes(_subset(font, LATIN_GREEK_CYRILLIC, ["kern"]))
        latin |= set(TTFont(OUT / f"NotoSans-{style}.ttf").getBestCmap())
    math = TTFont(NOTO / "NotoSansMath-Regular.ttf")
    (OUT / "NotoSansMath-Symbols.ttf").write_bytes(_subset(math, (SYMBOLS - latin) | {0x20}, []))
    cjk = TTCollection(NOTO_CJK).fonts[NOTO_CJK_JAPANESE]
    subset_cjk = TTFont(io.BytesIO(_subset(cjk, common_cjk(), [])))
    out = io.BytesIO()
    _with_truetype_outlines(subset_cjk).save(out)
    (OUT / "NotoSansCJK-Common.ttf").write_bytes(out.getvalue())
    (OUT / "OFL.txt").write_text(ofl_text())
    for path in sorted(OUT.iterdir()):
        print(f"{path.name:28} {path.stat().st_size:>10,} bytes")


if __name__ == "__main__":
    main()

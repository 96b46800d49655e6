"""The generated report states the reference figures, in HTML, PDF and Word alike."""

import subprocess
from decimal import Decimal

import pytest

from assessments.decimals import format_score
from reports.document import plain

from .conftest import HOSTILE_COMMENT, squash

OUTPUTS = ["html", "pdf", "docx"]

FIGURES = [
    "88,01/100 điểm",
    "62,09/68 điểm tự đánh giá qua thẩm định",
    "7,63/10 điểm kết quả SIPAS",
    "18,30/22 điểm khảo sát",
    "Chỉ số đạt 88,01% (tăng 3,54 điểm phần trăm so với năm 2022)",
    "đứng thứ 21/63 tỉnh, thành phố (tăng 18 bậc so với năm 2022)",
    "84,47",
    "06/8 lĩnh vực thứ hạng tăng và 02/8 lĩnh vực thứ hạng giảm",
    "Các lĩnh vực có thứ hạng tăng (06 lĩnh vực)",
    "Các lĩnh vực có thứ hạng giảm (02 lĩnh vực)",
    "52 tiêu chí, tiêu chí thành phần tự đánh giá đạt điểm tối đa",
    "22 tiêu chí, tiêu chí thành phần chưa đạt điểm tối đa, trong đó 01 bị chấm 0 điểm",
    "Kết luận thanh tra số 453/KL-TTBNV",
    "Thang điểm đánh giá là 100, trong đó điểm đánh giá thông qua điều tra xã hội học là 32/100 điểm",
    "8 lĩnh vực, 37 tiêu chí, 88 tiêu chí thành phần",
    "công tác chỉ đạo, điều hành CCHC: 7 tiêu chí và 2 tiêu chí thành phần",
    # field 1: +13,62 and up 23; field 5 down 30; field 7 down 12 with the computed 87,38
    "Chỉ số đạt 97,71% (tăng 13,62 điểm phần trăm so với năm 2022), đứng thứ 29/63 tỉnh, thành phố "
    "(tăng 23 bậc so với năm 2022)",
    "Chỉ số đạt 81,30% (giảm 3,12 điểm phần trăm so với năm 2022), đứng thứ 46/63 tỉnh, thành phố "
    "(giảm 30 bậc so với năm 2022)",
    "Chỉ số đạt 87,38% (giảm 2,17 điểm phần trăm so với năm 2022), đứng thứ 15/63 tỉnh, thành phố "
    "(giảm 12 bậc so với năm 2022)",
    # the published 87,41 is noted, not used
    "tính từ điểm thẩm định đạt 87,38%, kết quả công bố ghi 87,41%",
    "Số:",
    "/BC-SNV",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Bình Phước, ngày",
    "UBND TỈNH BÌNH PHƯỚC",
    "SỞ NỘI VỤ",
    "Nơi nhận:",
    "Phụ lục I",
    "Phụ lục II",
    "TỔNG ĐIỂM",
]

FIELD_INDICES = ["97,71", "94,31", "91,68", "92,27", "81,30", "90,57", "87,38", "77,76"]


@pytest.mark.parametrize("output", OUTPUTS)
def test_reference_figures(rendered, output):
    text = rendered["texts"][output]
    missing = [figure for figure in FIGURES if figure not in text]
    assert missing == []


@pytest.mark.parametrize("output", OUTPUTS)
def test_field_indices_and_changes(rendered, output):
    text = rendered["texts"][output]
    for index in FIELD_INDICES:
        assert f"Chỉ số đạt {index}%" in text
    # Annex II: changes in percentage points and rank changes, signed
    for change in ["+13,62", "+1,58", "−0,26", "+12,00", "−3,12", "+15,03", "−2,17", "−1,06", "+3,54"]:
        assert change in text, change


@pytest.mark.parametrize("output", OUTPUTS)
def test_each_criterion_below_max_with_its_reason(rendered, output):
    text = rendered["texts"][output]
    assert len(rendered["below"]) == 22
    for label, name, appraised, maximum, comment in rendered["below"]:
        line = f"{label} {name.rstrip('.')} đạt {format_score(appraised)}/{format_score(maximum)} điểm"
        assert squash(line) in text, line
        reason, haystack = squash(f"Lý do: {plain(comment)}"), text
        if output == "pdf":  # pdftotext drops a hyphen where a line breaks after it (TT-|BXD)
            reason, haystack = reason.replace("-", ""), text.replace("-", "")
        assert reason in haystack, label


@pytest.mark.parametrize("output", OUTPUTS)
def test_hostile_comment_is_text(rendered, output):
    assert squash(HOSTILE_COMMENT) in rendered["texts"][output]


def test_hostile_comment_never_fetched(rendered):
    assert '<img src="file' not in rendered["html"]
    assert rendered["fetched"]  # fonts and charts were fetched…
    for url in rendered["fetched"]:  # …and nothing else
        assert url.startswith("https://parindex.invalid/static/fonts/") or url.startswith(
            "https://parindex.invalid/charts/"
        ), url


def test_pdf_is_a4_with_embedded_fonts(rendered, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(rendered["pdf"])
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("Liberation" in row[0] for row in rows)
    assert all(row[-5] == "yes" for row in rows)  # emb column


def test_pdf_vietnamese_diacritics_extract(rendered):
    text = rendered["texts"]["pdf"]
    for word in [
        "Sở Nội vụ",
        "Chỉ số cải cách hành chính",
        "thứ hạng",
        "Ủy ban nhân dân",
        "Hạnh phúc",
        "điện tử",
    ]:
        assert word in text


def test_pdf_page_numbers_start_on_page_two(rendered):
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=rendered["pdf"], capture_output=True, check=True
    ).stdout.decode()
    second = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-", "-"], input=rendered["pdf"], capture_output=True, check=True
    ).stdout.decode()
    assert first.lstrip().startswith("UBND")
    assert second.lstrip().startswith("2")


def test_docx_layout(rendered):
    import io

    import docx

    document = docx.Document(io.BytesIO(rendered["docx"]))
    section = document.sections[0]

    def mm(length):
        return round(length.mm)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.left_margin), mm(section.right_margin), mm(section.top_margin)) == (30, 15, 20)
    assert section.different_first_page_header_footer
    annex = document.tables[-2]
    first_row = annex.rows[0]._tr
    assert (
        first_row.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader")
        is not None
    )
    assert len(document.inline_shapes) == 2  # the two charts, as PNG


def test_annexes_are_numbered_on_their_own(rendered):
    pages = (
        subprocess.run(["pdftotext", "-", "-"], input=rendered["pdf"], capture_output=True, check=True)
        .stdout.decode()
        .split("\f")
    )
    first_annex = next(i for i, page in enumerate(pages) if page.lstrip().startswith("Phụ lục I\n"))
    assert pages[first_annex + 1].lstrip().startswith("2")
    assert pages[first_annex - 1].lstrip().split()[0] == str(first_annex)  # main text: page numbers 2…n
    assert any(page.lstrip().startswith("Phụ lục II") for page in pages[first_annex + 1 :])


def _points(shift: str, top: str = "0"):
    from reports.charts import FieldPoint

    return tuple(
        FieldPoint(
            str(i),
            f"Lĩnh vực {i}: cải cách thủ tục hành chính và hiện đại hóa nền hành chính",
            Decimal(80 + i) + Decimal(shift) + (Decimal(top) if i == 1 else 0),
            Decimal(78 + i),
            i,
            i + 1,
        )
        for i in range(1, 9)
    )


@pytest.mark.parametrize("kind", ["index", "rank"])
def test_kept_margins_draw_the_chart_tight_layout_draws(kind, settings, tmp_path):
    """A redraw after a score changed sets the margins tight_layout found the first time: the
    SVG is the one tight_layout itself gives; an index near 100 is laid out again."""
    from reports import charts

    settings.CACHE_DIR = tmp_path
    charts._MARGINS.clear()
    charts.svg_for.__wrapped__(kind, _points("0"), 2024, 63)
    assert len(charts._MARGINS) == 1
    kept = charts.svg_for.__wrapped__(kind, _points("0.37"), 2024, 63)
    assert len(charts._MARGINS) == 1  # the same texts: the same margins, no second layout
    settings.CACHE_DIR = tmp_path / "empty"  # neither kept in memory nor on disk
    charts._MARGINS.clear()
    assert kept == charts.svg_for.__wrapped__(kind, _points("0.37"), 2024, 63)
    if kind == "index":
        charts.svg_for.__wrapped__(kind, _points("0", top="18.5"), 2024, 63)  # field 1 at 99,5
        assert len(charts._MARGINS) == 2


def test_another_worker_finds_the_margins_on_disk(settings, tmp_path, monkeypatch):
    """The margins one process found are read by another (here: the memory emptied) without
    laying the figure out again; an unreadable file is ignored."""
    from matplotlib.figure import Figure

    from reports import charts

    settings.CACHE_DIR = tmp_path
    charts._MARGINS.clear()
    first = charts.svg_for.__wrapped__("index", _points("0"), 2024, 63)
    [stored] = (tmp_path / "chart-margins").glob("*.json")
    charts._MARGINS.clear()

    def no_layout(self, *args, **kwargs):
        raise AssertionError("tight_layout ran again")

    monkeypatch.setattr(Figure, "tight_layout", no_layout)
    assert charts.svg_for.__wrapped__("index", _points("0"), 2024, 63) == first
    stored.write_text("{not json", encoding="utf-8")
    charts._MARGINS.clear()
    with pytest.raises(AssertionError, match="tight_layout ran again"):
        charts.svg_for.__wrapped__("index", _points("0"), 2024, 63)

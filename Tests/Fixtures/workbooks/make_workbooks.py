#!/usr/bin/python3
"""Writes the workbook fixtures of the tests (SPEC §3.5, §3.6) into this folder. The generated files are
committed; run this again after changing it:  python3 Tests/Fixtures/workbooks/make_workbooks.py

openpyxl (Debian python3-openpyxl) writes the workbooks. Two things it cannot write are added to the
saved XML afterwards: a formula's saved value (it only writes formulas without one) and an empty saved
text value. With msoffcrypto-tool (PyPI) installed, encrypted.xlsx is a real password-protected workbook;
libreoffice.xlsx and old-format.xlsx come from `make_libreoffice.sh` (LibreOffice).

acceptance.xlsx (1900 date system) and acceptance-1904.xlsx (1904) hold the same returns as
acceptance.csv: a title block, Vietnamese headers, date cells, counts as numbers and as text, an empty
row, an instructions sheet, a hidden sheet, a second data sheet, an error cell, a formula saved with its
value and one saved without, merged cells and a visible lookup list.
"""

import datetime
import os
import re
import shutil
import zipfile

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_TIME = datetime.datetime(2016, 1, 15, 8, 0, 0)
D = datetime.date
T = datetime.datetime

HEADER_VI = ["Số phiếu", "Mã đơn vị", "Tên đơn vị", "Loại hình", "Quận/Huyện", "Lĩnh vực", "Ngày khảo sát",
             "Số công nghệ tìm kiếm", "Số công nghệ đề xuất", "Ngày nộp"]

# The returns sheet, row by row from row 5 (None = an empty row). Cells: value, or ("formula", text, saved),
# ("error", "#N/A"). The CSV twin writes each cell as `csv_text` says.
MAIN = [
    ["P-01", "HP-DN-01", "Công ty TNHH Đơn vị 01", "Doanh nghiệp", "Lê Chân", "CN sinh học", D(2015, 3, 2), 5, 2, T(2015, 3, 5, 10, 0)],
    ["P-02", "HP-VI-02", "Viện Đơn vị 02", "Viện", "Ngô Quyền", "Công nghệ môi trường", D(2015, 4, 10), "12", "3", T(2015, 4, 12, 9, 30, 15)],
    None,
    ["P-03", "HP-DH-03", "Trường Đại học Đơn vị 03", "Trường đại học", "Hồng Bàng", "Năng lượng mới", D(2015, 5, 20), "1.234", 1000, T(2015, 5, 21, 8, 0)],
    ["P-04", "HP-DN-04", "Công ty Cổ phần Đơn vị 04", "Doanh nghiệp", "Kiến An", "Tự động hóa", D(2015, 6, 1), 4, ("formula", "H9-2", 2), None],
    ["P-05", "HP-DN-05", "Công ty TNHH Đơn vị 05", "Doanh nghiệp", "An Dương", "Vật liệu mới", D(2015, 7, 3), ("error", "#N/A"), 1, None],
    ["P-06", "HP-CQ-06", "Sở Đơn vị 06", "Cơ quan", "Đồ Sơn", "Công nghệ sinh học", D(2015, 8, 4), 3, ("formula", "H11*2", None), None],
    ["P-07", "HP-DN-07", "Công ty TNHH Đơn vị 07", "Doanh nghiệp", "Lê Chân", "Công nghệ vật liệu mới", D(2015, 9, 9), 2.5, 1, None],
    # A field merged over two rows: only the top-left cell holds it, so the second record has no field.
    ["P-08", "HP-DN-08", "Công ty TNHH Đơn vị 08", "Doanh nghiệp", "Hải An", "Công nghệ vật liệu mới", D(2015, 10, 1), 6, 4, None],
    ["P-09", "HP-DN-09", "Công ty TNHH Đơn vị 09", "Doanh nghiệp", "Hải An", "", D(2015, 10, 2), 1, 1, None],
    ["P-10", "HP-VI-10", "Viện Đơn vị 10", "Viện", "Dương Kinh", "Công nghệ sinh học", D(2015, 11, 11), 7, 7, T(2015, 11, 12, 16, 45)],
]
MERGED_FIELD = "F13:F14"

# The second data sheet: its header on row 1. P-01 again, submitted later: it supersedes row 5 of the first.
SECOND = [
    ["P-01b", "HP-DN-01", "Công ty TNHH Đơn vị 01", "Doanh nghiệp", "Lê Chân", "Công nghệ sinh học", D(2015, 3, 2), 6, 3, T(2015, 3, 9, 11, 0)],
    ["P-11", "HP-DN-11", "Công ty TNHH Đơn vị 11", "Doanh nghiệp", "Vĩnh Bảo", "Công nghệ môi trường", D(2015, 12, 1), 2, 0, T(2015, 12, 3, 7, 5)],
]

# A hidden sheet with good records: they must never be counted.
HIDDEN = [["P-99", "HP-DN-99", "Công ty Ẩn", "Doanh nghiệp", "Lê Chân", "Công nghệ sinh học", D(2015, 1, 1), 900, 900, None]]


def csv_text(value):
    if value is None:
        return ""
    if isinstance(value, tuple):
        if value[0] == "error":
            return value[1]
        return "" if value[2] is None else str(value[2])
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def quote(text):
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def put_rows(sheet, rows, first_row, patches, sheet_index):
    for offset, row in enumerate(rows):
        number = first_row + offset
        if row is None:
            continue
        for col, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=number, column=col)
            if isinstance(value, tuple) and value[0] == "formula":
                cell.value = "=" + value[1]
                if value[2] is not None:
                    patches.append((sheet_index, cell.coordinate, value[1], value[2]))
            elif isinstance(value, tuple) and value[0] == "error":
                cell.value = value[1]
                cell.data_type = "e"
            else:
                cell.value = value
                if isinstance(value, datetime.datetime):
                    cell.number_format = "dd/mm/yyyy hh:mm:ss"
                elif isinstance(value, datetime.date):
                    cell.number_format = "dd/mm/yyyy"


def save(wb, name, patches=(), empty_text=()):
    wb.properties.created = wb.properties.modified = FIXED_TIME
    path = os.path.join(HERE, name)
    wb.save(path)
    if patches or empty_text:
        patch_xml(path, patches, empty_text)
    return path


def patch_xml(path, patches, empty_text):
    """Gives formulas their saved value (openpyxl writes `<f>..</f><v></v>`), and writes formulas whose
    saved value is empty text (t="str")."""
    temp = path + ".tmp"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            match = re.match(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
            if match:
                index = int(match.group(1)) - 1
                text = data.decode("utf-8")
                for sheet_index, ref, formula, value in patches:
                    if sheet_index == index:
                        old = f'<c r="{ref}"><f>{formula}</f><v></v></c>'
                        assert old in text, (ref, text[:2000])
                        text = text.replace(old, f'<c r="{ref}"><f>{formula}</f><v>{value}</v></c>')
                for sheet_index, ref, formula in empty_text:
                    if sheet_index == index:
                        old = f'<c r="{ref}"><f>{formula}</f><v></v></c>'
                        assert old in text, (ref, text[:2000])
                        text = text.replace(old, f'<c r="{ref}" t="str"><f>{formula}</f><v></v></c>')
                data = text.encode("utf-8")
            dst.writestr(item, data)
    os.replace(temp, path)


def acceptance(name, epoch=None):
    wb = Workbook()
    if epoch is not None:
        wb.epoch = epoch
    guide = wb.active
    guide.title = "Hướng dẫn"
    guide.append(["Hướng dẫn: mỗi dòng là một lượt khảo sát; điền vào sheet \"Phiếu 2015\"."])
    guide.append(["Mã đơn vị, Lĩnh vực, Ngày khảo sát là bắt buộc."])
    main = wb.create_sheet("Phiếu 2015")
    main.append(["PHIẾU KHẢO SÁT CÔNG NGHỆ NĂM 2015"])
    main.merge_cells("A1:J1")
    main.append(["Sở Khoa học và Công nghệ (số liệu thử)"])
    main.append([])
    main.append(HEADER_VI)
    patches = []
    put_rows(main, MAIN, 5, patches, 1)
    main.merge_cells(MERGED_FIELD)
    hidden = wb.create_sheet("Ẩn")
    hidden.sheet_state = "hidden"
    hidden.append(HEADER_VI)
    put_rows(hidden, HIDDEN, 2, patches, 2)
    second = wb.create_sheet("Phiếu bổ sung")
    second.append(HEADER_VI)
    put_rows(second, SECOND, 2, patches, 3)
    lookup = wb.create_sheet("Danh mục")
    lookup.append(["Lĩnh vực", "Mã"])
    lookup.append(["Công nghệ sinh học", "biotech"])
    return save(wb, name, patches)


def acceptance_csv():
    lines = ["PHIẾU KHẢO SÁT CÔNG NGHỆ NĂM 2015", "Sở Khoa học và Công nghệ (số liệu thử)", "", ",".join(HEADER_VI)]
    for row in MAIN + SECOND:
        if row is None:
            lines.append("")
            continue
        lines.append(",".join(quote(csv_text(v)) for v in row))
    with open(os.path.join(HERE, "acceptance.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(lines) + "\n")


def serial_of(path, sheet, ref):
    with zipfile.ZipFile(path) as z:
        text = z.read(f"xl/worksheets/sheet{sheet}.xml").decode()
    return int(re.search(rf'<c r="{ref}"[^>]*><v>(\d+)</v>', text).group(1))


def cells():
    """Every kind of cell the reader tells apart, on one sheet; a merged block; a hidden, a very hidden and
    a chart sheet."""
    wb = Workbook()
    s = wb.active
    s.title = "Ô"
    s.append(["text", "Công nghệ sinh học"])
    s.append(["int", 42])
    s.append(["float", 2.5])
    s.append(["date", D(2015, 3, 2)])
    s.append(["datetime", T(2015, 3, 2, 14, 30, 59)])
    s.append(["bool", True])
    s.append(["error", "#VALUE!"])
    s["B7"].data_type = "e"
    s.append(["formula saved", "=B2*2"])
    s.append(["formula unsaved", "=B2*3"])
    s.append(["formula empty text", '=IF(B2>0,"","x")'])
    s.append(["merged", "top-left"])
    s.merge_cells("B11:C12")
    s["A14"] = "after a gap"
    s.append(["tiny", 0.1 + 0.2])
    s.append(["big", 12345678901234567890.0])
    s.cell(row=4, column=2).number_format = "dd/mm/yyyy"
    s.cell(row=5, column=2).number_format = "dd/mm/yyyy hh:mm:ss"
    hidden = wb.create_sheet("Hidden")
    hidden.sheet_state = "hidden"
    hidden.append(["x"])
    very = wb.create_sheet("Very hidden")
    very.sheet_state = "veryHidden"
    very.append(["y"])
    chart = BarChart()
    chart.add_data(Reference(s, min_col=2, min_row=2, max_row=3))
    wb.create_chartsheet("Biểu đồ").add_chart(chart)
    save(wb, "cells.xlsx", patches=[(0, "B8", "B2*2", 84)], empty_text=[(0, "B10", 'IF(B2&gt;0,"","x")')])


def no_readable_sheet():
    wb = Workbook()
    wb.active.title = "Hướng dẫn"
    wb.active.append(["Điền phiếu vào sheet Phiếu"])
    hidden = wb.create_sheet("Phiếu")
    hidden.sheet_state = "hidden"
    hidden.append(HEADER_VI)
    low = wb.create_sheet("Tiêu đề dài")
    for i in range(20):
        low.append([f"dòng tiêu đề {i + 1}"])
    low.append(HEADER_VI)  # row 21: past the limit of §3.6
    low.append(["P-1", "U1", "", "", "", "CNSH", D(2015, 1, 1), 1, 1])
    save(wb, "no-readable-sheet.xlsx")


def activities():
    wb = Workbook()
    s = wb.active
    s.title = "Hoạt động"
    s.append(["NHẬT KÝ HOẠT ĐỘNG"])
    s.append([])
    s.append(["Mã hoạt động", "Ngày", "Loại hoạt động", "Tên hoạt động", "Kinh phí (triệu đồng)", "Số doanh nghiệp"])
    s.append(["A1", D(2015, 5, 1), "Nhiệm vụ KH&CN", "Nhiệm vụ 1", 5132.5, 3])
    s.append(["A2", D(2015, 6, 1), "Nhiệm vụ KH&CN", "Nhiệm vụ 2", "5.132", "2"])
    s.append(["A3", D(2015, 7, 1), "Triển lãm", "Triển lãm 1", 1.5, 2.5])
    s.cell(row=4, column=2).number_format = "dd/mm/yyyy"
    s.cell(row=5, column=2).number_format = "dd/mm/yyyy"
    s.cell(row=6, column=2).number_format = "dd/mm/yyyy"
    save(wb, "activities.xlsx")


def broken():
    good = os.path.join(HERE, "cells.xlsx")
    with open(good, "rb") as f:
        data = f.read()
    with open(os.path.join(HERE, "corrupt.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])
    try:
        import msoffcrypto
        from msoffcrypto.format.ooxml import OOXMLFile
        with open(good, "rb") as src, open(os.path.join(HERE, "encrypted.xlsx"), "wb") as dst:
            OOXMLFile(src).encrypt("mật khẩu", dst)
    except ImportError:
        print("msoffcrypto-tool is not installed: encrypted.xlsx kept as it is")


def main():
    a = acceptance("acceptance.xlsx")
    b = acceptance("acceptance-1904.xlsx", CALENDAR_MAC_1904)
    # The two files store different serial numbers for the same day: 1462 days apart.
    assert serial_of(a, 2, "G5") - serial_of(b, 2, "G5") == 1462, (serial_of(a, 2, "G5"), serial_of(b, 2, "G5"))
    acceptance_csv()
    cells()
    no_readable_sheet()
    activities()
    broken()


if __name__ == "__main__":
    main()

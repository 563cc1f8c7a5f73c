#!/usr/bin/python3
"""Writes the bundled input's 2015 returns as a workbook, the way a survey team sends them:
input/returns/returns-2015.xlsx from Tests/Fixtures/bundled/returns-2015.csv (the same 24 records).

The workbook has an instructions sheet first, then the returns sheet "Phiếu 2015" with a title block
(two merged title rows and a blank row above the header, SPEC §3.6), Vietnamese headers, survey dates as
date cells, submission times as date-time cells, counts as number cells, an empty row between the
halves of the year, and a hidden lookup sheet. It replaces the CSV in input/, so `make report` reads it
and still gives the SPEC §1 table. Run from the repository root: python3 Tests/Fixtures/bundled/make_workbook.py
"""

import csv
import datetime
import os
import sys

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
SOURCE = os.path.join(HERE, "returns-2015.csv")
TARGET = os.path.join(ROOT, "input", "returns", "returns-2015.xlsx")
FIXED_TIME = datetime.datetime(2016, 1, 15, 8, 0, 0)


def day(text):
    d, m, y = (int(p) for p in text.split("/"))
    return datetime.date(y, m, d)


def moment(text):
    date, time = text.split(" ")
    h, mi = (int(p) for p in time.split(":"))
    d = day(date)
    return datetime.datetime(d.year, d.month, d.day, h, mi)


def main():
    with open(SOURCE, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, records = rows[0], rows[1:]
    wb = Workbook()
    wb.properties.creator = "techsurvey bundled sample"
    wb.properties.created = wb.properties.modified = FIXED_TIME

    guide = wb.active
    guide.title = "Hướng dẫn"
    guide.append(["Hướng dẫn điền phiếu"])
    guide.append(["Mỗi dòng của sheet \"Phiếu 2015\" là một lượt khảo sát một đơn vị, trong một lĩnh vực."])
    guide.append(["Ngày khảo sát ghi theo dạng dd/mm/yyyy; số công nghệ là số nguyên."])

    sheet = wb.create_sheet("Phiếu 2015")
    width = len(header)
    sheet.append(["PHIẾU KHẢO SÁT CÔNG NGHỆ, TIẾN BỘ KỸ THUẬT NĂM 2015"])
    sheet.append(["Sở Khoa học và Công nghệ thành phố Hải Phòng (số liệu minh họa)"])
    sheet.append([])
    last = chr(ord("A") + width - 1)
    sheet.merge_cells(f"A1:{last}1")
    sheet.merge_cells(f"A2:{last}2")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for i, r in enumerate(records):
        if i == 12:
            sheet.append([])  # an empty row: it advances the row number and is no record
        values = list(r)
        values[6] = day(r[6])
        values[7] = int(r[7])
        values[8] = int(r[8])
        values[9] = moment(r[9])
        sheet.append(values)
        sheet.cell(row=sheet.max_row, column=7).number_format = "dd/mm/yyyy"
        sheet.cell(row=sheet.max_row, column=10).number_format = "dd/mm/yyyy hh:mm"

    lookup = wb.create_sheet("Danh mục")
    lookup.sheet_state = "hidden"
    lookup.append(["Lĩnh vực"])
    for name in ["Công nghệ sinh học", "Công nghệ môi trường", "Công nghệ năng lượng mới",
                 "Công nghệ tự động hóa", "Công nghệ vật liệu mới"]:
        lookup.append([name])

    wb.save(TARGET)
    print(f"wrote {os.path.relpath(TARGET, ROOT)}: {len(records)} records", file=sys.stderr)


if __name__ == "__main__":
    main()

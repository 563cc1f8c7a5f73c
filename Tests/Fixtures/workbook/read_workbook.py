"""Reads a workbook back for the tests (report.xlsx, SPEC §4.2) with openpyxl, and its zip parts for what
openpyxl does not load (charts, custom properties, formula elements). Prints one JSON object:
{"properties": {...}, "custom": {...}, "formula_elements": n,
 "sheets": [{"name", "freeze", "autofilter", "charts": [titles], "cells": [[row, column, type, value, format, bold]]}]}
Rows and columns count from 1, as Excel shows them. Usage: read_workbook.py FILE.xlsx
"""
import json
import posixpath
import re
import sys
import zipfile

import openpyxl


def chart_titles(archive):
    """Sheet part name -> the titles of the charts drawn on it."""
    def rels(part):
        folder, name = posixpath.split(part)
        path = posixpath.join(folder, "_rels", name + ".rels")
        if path not in archive.namelist():
            return []
        text = archive.read(path).decode("utf-8")
        return [posixpath.normpath(posixpath.join(folder, target)) for target in re.findall(r'Target="([^"]+)"', text)]

    titles = {}
    for part in archive.namelist():
        if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", part):
            continue
        found = []
        for drawing in (p for p in rels(part) if "/drawings/" in p):
            for chart in (p for p in rels(drawing) if "/charts/" in p):
                xml = archive.read(chart).decode("utf-8")
                texts = re.findall(r"<a:t>([^<]*)</a:t>", xml)
                found.append(texts[0] if texts else "")
        titles[part] = found
    return titles


def main(path):
    archive = zipfile.ZipFile(path)
    formula_elements = sum(len(re.findall(r"<f[ >]", archive.read(p).decode("utf-8")))
                           for p in archive.namelist() if p.startswith("xl/worksheets/") and p.endswith(".xml"))
    custom = {}
    if "docProps/custom.xml" in archive.namelist():
        xml = archive.read("docProps/custom.xml").decode("utf-8")
        for name, value in re.findall(r'name="([^"]+)"[^>]*>\s*<vt:lpwstr>([^<]*)</vt:lpwstr>', xml):
            custom[name] = value
    workbook_rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    workbook_xml = archive.read("xl/workbook.xml").decode("utf-8")
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', workbook_rels))
    targets.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', workbook_rels)})
    sheet_parts = [posixpath.normpath(posixpath.join("xl", targets[rid])) for rid in re.findall(r'<sheet [^>]*r:id="([^"]+)"', workbook_xml)]
    titles = chart_titles(archive)

    book = openpyxl.load_workbook(path)
    props = book.properties
    out = {
        "properties": {"title": props.title, "subject": props.subject, "keywords": props.keywords,
                       "creator": props.creator, "created": props.created.isoformat() if props.created else None},
        "custom": custom,
        "formula_elements": formula_elements,
        "sheets": [],
    }
    for index, sheet in enumerate(book.worksheets):
        cells = []
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                cells.append([cell.row, cell.column, cell.data_type, cell.value, cell.number_format, bool(cell.font and cell.font.b)])
        out["sheets"].append({
            "name": sheet.title,
            "freeze": sheet.freeze_panes,
            "autofilter": sheet.auto_filter.ref,
            "charts": titles.get(sheet_parts[index], []) if index < len(sheet_parts) else [],
            "cells": cells,
        })
    json.dump(out, sys.stdout, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/python3
"""The workbook reader of techsurvey ingest (SPEC §3.5): the cells of an .xlsx file, as openpyxl reads them.

Run as `python3 xlsx_cells.py WORKBOOK`. Writes one JSON object per line to stdout (ASCII only, so no cell
text can break a line or the framing):

  {"sheet": NAME, "state": "visible"|"hidden"|"veryHidden", "kind": "worksheet"|"chartsheet"}
  {"row": N, "cells": [[COLUMN, KIND, TEXT], ...]}    one per non-empty row of a visible worksheet
  {"end": true, "date_system": 1900|1904}             after the last sheet: the stream is complete
  {"error": CODE, "message": TEXT}                    instead of "end", then exit status 2

N is the row number Excel shows, COLUMN counts from 0 (A = 0). Empty cells are left out. KIND is one of
  s  text, as stored                      n  number, plain decimal digits (no exponent), 15 significant digits
  d  date, yyyy-mm-dd                     t  date and time, yyyy-mm-dd hh:mm:ss (to the second)
  h  time of day or duration, as text     b  true/false, TRUE or FALSE
  e  error cell (#N/A, #VALUE!, …)        f  formula saved without a value (TEXT empty)
Dates are converted with the workbook's own date system (1900 or 1904). A formula cell gives its saved
value. Merged cells hold their value in the top-left cell, which is the only cell the file stores.
Hidden sheets and chart sheets are named but their cells are not sent.
"""

import datetime
import decimal
import json
import sys


def emit(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=True, separators=(",", ":")))
    sys.stdout.write("\n")


def fail(code, message):
    emit({"error": code, "message": message})
    sys.stdout.flush()
    sys.exit(2)


try:
    import zipfile
    from openpyxl import load_workbook
    from openpyxl.chartsheet import Chartsheet
    from openpyxl.utils.datetime import CALENDAR_MAC_1904
    from openpyxl.worksheet._reader import WorkSheetParser, FORMULA_TAG, VALUE_TAG
except ImportError as error:
    fail("no_openpyxl", f"python3-openpyxl is not installed ({error})")


class CellParser(WorkSheetParser):
    """openpyxl's sheet parser reading saved values (data_only), which also tells a formula saved without a
    value from one whose value is empty text: the first has no <v>, or an empty one without a text type
    (how openpyxl and other generators save a formula they could not compute); the second is t="str"."""

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            saved = element.find(VALUE_TAG)
            if saved is None or (not saved.text and element.get("t", "n") not in ("str", "s", "inlineStr")):
                cell["data_type"] = "uncalculated"
        return cell


def number_text(value):
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 2 ** 53:
        return str(int(value))
    # What Excel shows at most: 15 significant digits, written out without an exponent.
    return format(decimal.Decimal(format(value, ".15g")), "f")


def date_cell(value):
    if isinstance(value, datetime.datetime):
        if value.microsecond >= 500000:
            value += datetime.timedelta(seconds=1)
        value = value.replace(microsecond=0)
        day = "%04d-%02d-%02d" % (value.year, value.month, value.day)
        if value.hour == 0 and value.minute == 0 and value.second == 0:
            return "d", day
        return "t", "%s %02d:%02d:%02d" % (day, value.hour, value.minute, value.second)
    if isinstance(value, datetime.date):
        return "d", "%04d-%02d-%02d" % (value.year, value.month, value.day)
    return "h", str(value)


def cell_entry(cell):
    kind, value = cell["data_type"], cell["value"]
    column = cell["column"] - 1
    if kind == "uncalculated":
        return [column, "f", ""]
    if value is None:
        return None
    if kind == "e":
        return [column, "e", str(value)]
    if kind == "b" or isinstance(value, bool):
        return [column, "b", "TRUE" if value else "FALSE"]
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)):
        short, text = date_cell(value)
        return [column, short, text]
    if isinstance(value, (int, float)):
        return [column, "n", number_text(value)]
    text = str(value)
    return [column, "s", text] if text != "" else None


def read(path):
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile as error:
        fail("corrupt", f"the file is damaged: {error}")
    except KeyError as error:
        fail("corrupt", f"a part of the workbook is missing: {error}")
    except Exception as error:  # openpyxl raises many kinds on a broken or foreign file
        fail("unreadable", f"{type(error).__name__}: {error}")
    system = 1904 if workbook.epoch == CALENDAR_MAC_1904 else 1900
    for name in workbook.sheetnames:
        sheet = workbook[name]
        chart = isinstance(sheet, Chartsheet)
        state = getattr(sheet, "sheet_state", "visible") or "visible"
        emit({"sheet": name, "state": state, "kind": "chartsheet" if chart else "worksheet"})
        if chart or state != "visible":
            continue
        source = sheet._get_source()
        try:
            # The sheet keeps the strings table the reader loaded for it (the workbook's may be empty).
            strings = getattr(sheet, "_shared_strings", None) or workbook.shared_strings
            parser = CellParser(source, strings, data_only=True, epoch=workbook.epoch,
                                date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
            for row, cells in parser.parse():
                entries = [e for e in (cell_entry(c) for c in cells) if e is not None]
                if entries:
                    emit({"row": row, "cells": entries})
        finally:
            source.close()
    workbook.close()
    emit({"end": True, "date_system": system})


def main():
    if len(sys.argv) != 2:
        fail("usage", "usage: xlsx_cells.py WORKBOOK")
    try:
        read(sys.argv[1])
    except BrokenPipeError:
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as error:
        fail("unreadable", f"{type(error).__name__}: {error}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

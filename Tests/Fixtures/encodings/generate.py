#!/usr/bin/env python3
"""Regenerates the encoding variants of one small data set (issue: real-world input).

Each variant folder holds input/returns/ with the same 12 records written the way a different machine or
person would export them; every variant must give the same tables/by_field.csv as clean/.
Run from this folder: python3 generate.py
"""
import os, unicodedata

HEADER = ["return_id", "unit_id", "unit_name", "unit_type", "district", "field", "survey_date",
          "technologies_found", "technologies_proposed", "submitted_at"]
VI_CAPS_HEADER = ["SO PHIEU", "MA DON VI", "TEN DON VI", "LOAI HINH", "QUAN/HUYEN", "LINH VUC",
                  "NGAY KHAO SAT", "SO CONG NGHE TIM KIEM", "SO CONG NGHE DE XUAT", "NGAY NOP"]
ROWS = [
    ["E-01", "HP-DN-101", "Công ty TNHH Đơn vị 101, chi nhánh Lê Chân", "Doanh nghiệp", "Lê Chân", "Công nghệ sinh học", "2015-01-05", "6", "3", "2015-01-07 08:30"],
    ["E-02", "HP-VI-102", "Viện Nghiên cứu Đơn vị 102", "Viện", "Ngô Quyền", "Công nghệ môi trường", "2015-02-11", "3", "3", "2015-02-12 10:00"],
    ["E-03", "HP-DH-103", "Trường Đại học Đơn vị 103", "Trường đại học", "Kiến An", "Công nghệ năng lượng mới", "2015-03-20", "2", "1", ""],
    ["E-04", "HP-DN-104", "Công ty Cổ phần \"Đơn vị 104\"", "Doanh nghiệp", "Hải An", "Công nghệ tự động hóa", "2015-04-02", "4", "1", "2015-04-03 14:15"],
    ["E-05", "HP-DN-105", "Công ty TNHH Đơn vị 105", "Doanh nghiệp", "Thủy Nguyên", "Công nghệ vật liệu mới", "2015-05-15", "5", "4", ""],
    ["E-06", "HP-CQ-106", "Sở Đơn vị 106", "Cơ quan", "Hồng Bàng", "CN sinh học", "2015-06-30", "1", "0", ""],
    ["E-07", "HP-DN-101", "Công ty TNHH Đơn vị 101, chi nhánh Lê Chân", "Doanh nghiệp", "Lê Chân", "Tự động hóa", "2015-07-09", "3", "2", ""],
    ["E-08", "HP-VI-102", "Viện Nghiên cứu Đơn vị 102", "Viện", "Ngô Quyền", "Môi trường", "2015-08-18", "2", "2", ""],
    ["E-09", "HP-DN-109", "Công ty TNHH Đơn vị 109", "Doanh nghiệp", "Đồ Sơn", "Năng lượng mới", "2015-09-01", "1", "1", ""],
    ["E-10", "HP-DN-110", "Công ty TNHH Đơn vị 110", "Doanh nghiệp", "Dương Kinh", "Vật liệu mới", "2015-10-23", "1.234", "1.001", ""],
    ["E-11", "HP-DH-103", "Trường Đại học Đơn vị 103", "Trường đại học", "Kiến An", "Công nghệ sinh học", "2015-11-04", "7", "5", ""],
    ["E-12", "HP-KH-112", "Trung tâm Đơn vị 112", "Khác", "An Dương", "Công nghệ vật liệu mới", "2015-12-28", "0", "0", ""],
]

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
CP1258_TONE = {"\u0300": 0xCC, "\u0301": 0xEC, "\u0303": 0xDE, "\u0309": 0xD2, "\u0323": 0xF2}


def split_tone(ch):
    """A precomposed letter as (letter without its tone mark, tone mark or None)."""
    d = unicodedata.normalize("NFD", ch)
    tone = next((m for m in d if m in TONES), None)
    base = unicodedata.normalize("NFC", "".join(m for m in d if m != tone))
    return base, tone


def encode_cp1258(text):
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, tone = split_tone(ch)
            out += base.encode("cp1258") + bytes([CP1258_TONE[tone]])
    return bytes(out)


def tcvn3_table():
    import subprocess
    table = {}
    for b in range(0x80, 0x100):
        ch = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes([b]), capture_output=True).stdout.decode()
        if len(ch) == 1 and ch not in table:
            table[ch] = b
    return table


def encode_tcvn3(text, table):
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80:
            out.append(ord(ch))
        elif ch in table:
            out.append(table[ch])
        else:
            base, tone = split_tone(ch)
            out += bytes([table[base] if base in table else ord(base), table[tone]])
    return bytes(out)


def quote(cell, delim):
    if any(c in cell for c in (delim, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def render(header, rows, delim=",", newline="\n"):
    return "".join(delim.join(quote(c, delim) for c in r) + newline for r in [header] + rows)


def day_first(rows):
    forms = ["{d:02d}/{m:02d}/{y}", "{d}/{m}/{y}", "{d:02d}-{m:02d}-{y}", "{d:02d}.{m:02d}.{y}"]
    out = []
    for i, r in enumerate(rows):
        r = list(r)
        y, m, d = (int(x) for x in r[6].split("-"))
        r[6] = forms[i % len(forms)].format(d=d, m=m, y=y)
        out.append(r)
    return out


def write(variant, name, data):
    path = os.path.join(variant, "input", "returns", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


clean = render(HEADER, ROWS)
write("clean", "returns.csv", clean.encode("utf-8"))
write("utf8-bom", "returns.csv", b"\xef\xbb\xbf" + clean.encode("utf-8"))
write("utf16le-tab", "returns.txt", b"\xff\xfe" + render(HEADER, ROWS, delim="\t", newline="\r\n").encode("utf-16-le"))
write("windows-1258", "returns.csv", encode_cp1258(render(HEADER, ROWS, newline="\r\n")))
write("tcvn3", "returns.csv", encode_tcvn3(render(HEADER, ROWS, newline="\r\n"), tcvn3_table()))
semicolon_rows = [r[:7] + [c.replace(".", "") for c in r[7:9]] + r[9:] for r in ROWS]
write("semicolon-crlf", "returns.csv", render(HEADER, semicolon_rows, delim=";", newline="\r\n").encode("utf-8"))
write("nfd", "returns.csv", unicodedata.normalize("NFD", clean).encode("utf-8"))
write("vietnamese-caps-headers", "returns.csv", render(VI_CAPS_HEADER, ROWS).encode("utf-8"))
write("day-first", "returns.csv", render(HEADER, day_first(ROWS)).encode("utf-8"))

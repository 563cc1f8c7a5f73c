#!/usr/bin/env python3
"""Regenerates one golden case per reject reason code (SPEC §3.4).

Each case: input/returns/returns.csv with good records around one bad one, placed after a record whose
unit name holds a quoted newline (so the physical line runs one ahead of the spreadsheet row), and
expected.csv listing file,row,line,reason of every reject, and expected-account.txt with the
read/accepted/rejected/superseded counts.
Run from this folder: python3 generate.py
"""
import os

HEADER = "return_id,unit_id,unit_name,unit_type,district,field,survey_date,technologies_found,technologies_proposed,submitted_at\n"
GOOD1 = 'G-1,HP-DN-001,"Công ty TNHH Đơn vị 01\nxưởng Lê Chân",enterprise,Lê Chân,Công nghệ sinh học,2015-01-10,4,2,\n'
GOOD2 = "G-2,HP-VI-002,Viện Đơn vị 02,institute,Ngô Quyền,materials,2015-02-10,3,3,\n"
GOOD3 = "G-3,HP-DN-003,Công ty Đơn vị 03,enterprise,Hải An,energy,2015-03-10,2,1,\n"

BAD = {
    "wrong_column_count": "B-1,HP-DN-009,Công ty Đơn vị 09,enterprise,Lê Chân,biotech,2015-01-11,4,2,,extra\n".encode(),
    "missing_value": "B-1,HP-DN-009,Công ty Đơn vị 09,enterprise,Lê Chân,,2015-01-11,4,2,\n".encode(),
    "bad_field": "B-1,HP-DN-009,Công ty Đơn vị 09,enterprise,Lê Chân,Công nghệ sinh hocc,2015-01-11,4,2,\n".encode(),
    "bad_number": "B-1,HP-DN-009,Công ty Đơn vị 09,enterprise,Lê Chân,biotech,2015-01-11,4.5,2,\n".encode(),
    "negative_count": "B-1,HP-DN-009,Công ty Đơn vị 09,enterprise,Lê Chân,biotech,2015-01-11,4,-2,\n".encode(),
    "proposed_exceeds_found": "B-1,HP-DN-009,Công ty Đơn vị 09,enterprise,Lê Chân,biotech,2015-01-11,4,6,\n".encode(),
    "bad_date": "B-1,HP-DN-009,Công ty Đơn vị 09,enterprise,Lê Chân,biotech,13/25/2015,4,2,\n".encode(),
    # A Windows-1258 'ệ' (e + 0xF2) pasted into a UTF-8 file.
    "bad_encoding": "B-1,HP-DN-009,Công ty Đơn vị 09,enterprise,Lê Chân,biotech,2015-01-11,4,2,\n".encode().replace("Đơn".encode(), b"\xd0\xf5n"),
}

for reason, bad in BAD.items():
    folder = os.path.join(reason, "input", "returns")
    os.makedirs(folder, exist_ok=True)
    data = (HEADER + GOOD1 + GOOD2).encode() + bad + GOOD3.encode()
    with open(os.path.join(folder, "returns.csv"), "wb") as f:
        f.write(data)
    # header row 1; GOOD1 row 2 on lines 2-3; GOOD2 row 3 line 4; the bad record row 4 line 5.
    with open(os.path.join(reason, "expected.csv"), "w") as f:
        f.write("file,row,line,reason\nreturns/returns.csv,4,5,%s\n" % reason)
    with open(os.path.join(reason, "expected-account.txt"), "w") as f:
        f.write("read=4 accepted=3 rejected=1 superseded=0\n")

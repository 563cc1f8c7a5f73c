#!/usr/bin/env python3
"""Deterministic synthetic survey returns for `make bench` (never committed: written under build/bench/).

About 200,000 invented units (never a real organisation), each with ten fixed visit slots (a date in
2013–2024 and a field), so the key universe (unit_id, survey_date, field) is bounded at two million and a
larger file holds more resubmissions rather than more distinct returns — the shape a national rollup of
repeated exports has. Unit names carry quoted commas, doubled quotes and, rarely, an embedded newline.

usage: generate_returns.py --size-mb 250 --seed 7 --out build/bench/returns-250mb/returns/returns.csv
"""
import argparse, os, random

# Spelling in the file → the code techsurvey maps it to (bench/peers.py gives the peers the same table).
FIELD_CODES = {"biotech": "biotech", "Công nghệ môi trường": "environment", "energy": "energy", "Tự động hóa": "automation",
               "materials": "materials", "CN sinh học": "biotech", "environment": "environment", "Năng lượng mới": "energy"}
FIELDS = list(FIELD_CODES)
TYPES = ["enterprise", "Doanh nghiệp", "institute", "Viện", "university", "agency", "Cơ quan", "other"]
DISTRICTS = ["Hồng Bàng", "Ngô Quyền", "Lê Chân", "Hải An", "Kiến An", "Đồ Sơn", "Dương Kinh", "Thủy Nguyên",
             "An Dương", "An Lão", "Kiến Thụy", "Tiên Lãng", "Vĩnh Bảo", "Cát Hải", "Bạch Long Vĩ"]
PREFIXES = ["Công ty TNHH Đơn vị", "Công ty Cổ phần Đơn vị", "Viện Nghiên cứu Đơn vị", "Trường Đại học Đơn vị",
            "Trung tâm Đơn vị", "Hợp tác xã Đơn vị"]
SLOTS = 10


def unit_name(rng, i):
    base = f"{rng.choice(PREFIXES)} {i:06d}"
    roll = rng.random()
    if roll < 0.15:
        return f"\"{base}, chi nhánh {rng.choice(DISTRICTS)}\""
    if roll < 0.20:
        return f"\"{base} \"\"Tân Tiến\"\"\""
    return base


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mb", type=float, required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--units", type=int, default=200_000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    units = []
    for i in range(args.units):
        slots = []
        for _ in range(SLOTS):
            y, m, d = rng.randint(2013, 2024), rng.randint(1, 12), rng.randint(1, 28)
            slots.append((f"{y:04d}-{m:02d}-{d:02d}" if rng.random() < 0.7 else f"{d:02d}/{m:02d}/{y:04d}", y, m, d, rng.choice(FIELDS)))
        units.append((f"HP-{i:06d}", unit_name(rng, i), rng.choice(TYPES), rng.choice(DISTRICTS), slots))

    target = int(args.size_mb * 1_000_000)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    written = 0
    row = 0
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        header = "return_id,unit_id,unit_name,unit_type,district,field,survey_date,technologies_found,technologies_proposed,submitted_at\n"
        f.write(header)
        written += len(header.encode())
        batch = []
        batch_bytes = 0
        randrange = rng.randrange
        while written + batch_bytes < target:
            uid, name, utype, district, slots = units[randrange(args.units)]
            date_text, y, m, d, field = slots[randrange(SLOTS)]
            found = randrange(13)
            proposed = randrange(found + 1)
            day = min(28, d + randrange(10))
            submitted = f"{y:04d}-{m:02d}-{day:02d} {randrange(24):02d}:{randrange(60):02d}:{randrange(60):02d}"
            row += 1
            if row % 50_000 == 0:
                name_cell = f"\"{name.strip(chr(34))}\nxưởng số {row % 7}\""
            else:
                name_cell = name
            line = f"PK-{row:09d},{uid},{name_cell},{utype},{district},{field},{date_text},{found},{proposed},{submitted}\n"
            batch.append(line)
            batch_bytes += len(line) + 8  # Vietnamese letters take 2–3 bytes; close enough for sizing
            if len(batch) >= 10_000:
                chunk = "".join(batch)
                f.write(chunk)
                written += len(chunk.encode())
                batch, batch_bytes = [], 0
        chunk = "".join(batch)
        f.write(chunk)
        written += len(chunk.encode())
    print(f"{args.out}: {written / 1e6:.1f} MB, {row} records")


if __name__ == "__main__":
    main()

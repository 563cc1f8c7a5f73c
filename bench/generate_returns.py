#!/usr/bin/env python3
"""Deterministic synthetic survey returns for `make bench` (never committed: written under build/bench/).

Two shapes, both over 200,000 invented units (never a real organisation), the same columns and the same
messy spellings (unit names with quoted commas, doubled quotes and, every 50,000th record, an embedded
newline; Vietnamese and English spellings of fields and unit types; ISO and day-first dates; submission
times ISO or day-first, with or without seconds, one in a hundred missing):

- resubmitted: each unit has ten fixed visit slots (a date in 2013–2024 and a field), so the key universe
  (unit_id, survey_date, field) is bounded at two million and a larger file holds more resubmissions
  rather than more distinct returns (at 1 GB three records in four are resubmissions) — the shape of
  offices re-exporting cumulative files.
- distinct: each record is a fresh (unit, survey date in 2013–2024, field), and one in 400 re-sends a
  recent record's key (in either of its date spellings, any spelling of its field, with a submission time
  that may be earlier or later than the first), so about 0.35 % of records are resubmissions at every
  size — the shape of a national rollup.

The same seed and size give the same bytes. Records are built from tables made once and written in
batches, so 1 GB takes about a minute.

usage: generate_returns.py --shape distinct --size-mb 250 [--seed 7] --out DATA/distinct-250mb/returns/returns.csv
"""
import argparse, datetime, os, random

# Spelling in the file → the code techsurvey maps it to (bench/peers.py gives the peers the same table).
FIELD_CODES = {"biotech": "biotech", "Công nghệ môi trường": "environment", "energy": "energy", "Tự động hóa": "automation",
               "materials": "materials", "CN sinh học": "biotech", "environment": "environment", "Năng lượng mới": "energy"}
FIELDS = list(FIELD_CODES)
SPELLINGS = {code: [s for s in FIELDS if FIELD_CODES[s] == code] for code in set(FIELD_CODES.values())}
TYPES = ["enterprise", "Doanh nghiệp", "institute", "Viện", "university", "agency", "Cơ quan", "other"]
DISTRICTS = ["Hồng Bàng", "Ngô Quyền", "Lê Chân", "Hải An", "Kiến An", "Đồ Sơn", "Dương Kinh", "Thủy Nguyên",
             "An Dương", "An Lão", "Kiến Thụy", "Tiên Lãng", "Vĩnh Bảo", "Cát Hải", "Bạch Long Vĩ"]
PREFIXES = ["Công ty TNHH Đơn vị", "Công ty Cổ phần Đơn vị", "Viện Nghiên cứu Đơn vị", "Trường Đại học Đơn vị",
            "Trung tâm Đơn vị", "Hợp tác xã Đơn vị"]
HEADER = "return_id,unit_id,unit_name,unit_type,district,field,survey_date,technologies_found,technologies_proposed,submitted_at\n"
SHAPES = ("distinct", "resubmitted")
SLOTS = 10                 # resubmitted: visit slots per unit
RESEND = 1 / 400           # distinct: share of records that re-send a recent key
RECENT = 4096              # distinct: how far back a re-sent key is taken from
NEWLINE_EVERY = 50_000     # a unit name with an embedded newline
BATCH = 20_000             # records per write

FIRST_DAY = datetime.date(2013, 1, 1)
SURVEY_DAYS = (datetime.date(2024, 12, 31) - FIRST_DAY).days + 1
LATE_DAYS = 10             # a return is submitted on the survey day or up to nine days later


def day_texts():
    """For every day from 2013-01-01 to nine days past 2024: (ISO, day-first) spellings."""
    out = []
    for i in range(SURVEY_DAYS + LATE_DAYS):
        d = FIRST_DAY + datetime.timedelta(days=i)
        out.append((f"{d.year:04d}-{d.month:02d}-{d.day:02d}", f"{d.day:02d}/{d.month:02d}/{d.year:04d}"))
    return out


def unit_name(rng, i):
    base = f"{rng.choice(PREFIXES)} {i:06d}"
    roll = rng.random()
    if roll < 0.15:
        return f"\"{base}, chi nhánh {rng.choice(DISTRICTS)}\""
    if roll < 0.20:
        return f"\"{base} \"\"Tân Tiến\"\"\""
    return base


def make_units(rng, count):
    """Per unit: (the cells before `field`, the same with a name broken by a newline)."""
    units = []
    for i in range(count):
        uid, name = f"HP-{i:06d}", unit_name(rng, i)
        utype, district = rng.choice(TYPES), rng.choice(DISTRICTS)
        broken = f"\"{name.strip(chr(34))}\nxưởng số {i % 7}\""
        units.append((f"{uid},{name},{utype},{district}", f"{uid},{broken},{utype},{district}"))
    return units


def submission(days, times, rand, day):
    """A submission time on the survey day or up to nine days later, in one of the forms SPEC §3.1 names;
    one in a hundred is missing (it then ranks below every submission with a time)."""
    roll = rand()
    if roll < 0.01:
        return ""
    iso, dmy = days[day + int(rand() * LATE_DAYS)]
    t = times[int(rand() * 86400)]
    if roll < 0.80:
        return f"{iso} {t}"
    if roll < 0.90:
        return f"{dmy} {t}"
    return f"{iso} {t[:5]}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", choices=SHAPES, required=True)
    ap.add_argument("--size-mb", type=float, required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--units", type=int, default=200_000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    rand = rng.random
    nunits = args.units

    days = day_texts()
    times = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
    units = make_units(rng, nunits)
    nfields = len(FIELDS)
    slots = None
    if args.shape == "resubmitted":
        # Each slot keeps one date spelling and one field spelling: its records differ only in counts and time.
        slots = [[(int(rand() * SURVEY_DAYS), 0 if rand() < 0.7 else 1, FIELDS[int(rand() * nfields)]) for _ in range(SLOTS)]
                 for _ in range(nunits)]
    recent = []  # distinct: (unit, day, field code) of the last RECENT fresh records

    target = int(args.size_mb * 1_000_000)
    tmp = args.out + ".part"
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    written = 0
    row = 0
    with open(tmp, "wb") as f:
        data = HEADER.encode()
        f.write(data)
        written += len(data)
        while written < target:
            batch = []
            for _ in range(BATCH):
                row += 1
                if slots is not None:
                    unit = int(rand() * nunits)
                    day, form, field = slots[unit][int(rand() * SLOTS)]
                elif recent and rand() < RESEND:
                    unit, day, code = recent[int(rand() * len(recent))]
                    spellings = SPELLINGS[code]
                    form, field = int(rand() * 2), spellings[int(rand() * len(spellings))]
                else:
                    unit, day, form, field = int(rand() * nunits), int(rand() * SURVEY_DAYS), 0 if rand() < 0.7 else 1, FIELDS[int(rand() * nfields)]
                    if len(recent) < RECENT:
                        recent.append((unit, day, FIELD_CODES[field]))
                    else:
                        recent[row % RECENT] = (unit, day, FIELD_CODES[field])
                found = int(rand() * 13)
                proposed = int(rand() * (found + 1))
                cells = units[unit][1 if row % NEWLINE_EVERY == 0 else 0]
                batch.append(f"PK-{row:09d},{cells},{field},{days[day][form]},{found},{proposed},{submission(days, times, rand, day)}\n")
            data = "".join(batch).encode()
            if written + len(data) > target:
                # The last batch is cut at the record that reaches the size.
                keep, size = [], written
                for line in batch:
                    keep.append(line)
                    size += len(line.encode())
                    if size >= target:
                        break
                row -= len(batch) - len(keep)
                data = "".join(keep).encode()
            f.write(data)
            written += len(data)
    os.replace(tmp, args.out)
    print(f"{args.out}: {args.shape}, {written / 1e6:.1f} MB, {row} records")


if __name__ == "__main__":
    main()

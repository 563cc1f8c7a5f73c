#!/usr/bin/env python3
"""make bench and make bench-peers: techsurvey, and DuckDB with the same dedupe, on generated returns.

For each shape (BENCH_SHAPES, default "distinct resubmitted") and size in MB (BENCH_SIZES, default
"25 250 1000"), the input BENCH_DATA/<shape>-<N>mb/returns/returns.csv is generated when missing
(bench/generate_returns.py, seed 7) and read once so the page cache is warm. Then, in BENCH_OUT
(default build/bench)/<shape>-<N>mb/:

- techsurvey as an analyst runs it: `make report` with INPUT, OUTPUT, STAGE_ROOT and CACHE there, from an
  empty stage folder and content cache, under /usr/bin/time (wall, CPU, peak RSS of the whole run). BIN
  points make at a folder of wrappers that run each real executable under /usr/bin/time, so the same run
  also gives each stage alone. Records and distinct keys come from the stage's ingest.json.
- with --peers, right after, on the same file: DuckDB (BENCH_PYTHON, a Python with the duckdb package)
  in two processes of its own under /usr/bin/time: the by-field query alone, and the by-field and
  by-quarter × field queries one after the other. Its figures must equal techsurvey's
  tables/by_field.csv and by_period.csv, or this exits 1 naming the differences.

Writes BENCH_OUT/results.md (and results.json) and, with --peers, BENCH_OUT/peers.md with the verdicts
of issue #14's acceptance 1 and 2. Timings on a shared machine are noisy: CPU seconds are given too.

Every setting arrives in the environment (the Makefile exports them) and is checked before anything is
written; none is ever run as code.

usage: BIN=.build/release bench/run.py [--peers]
"""
import csv, json, mmap, os, re, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, os.path.join(ROOT, "bench"))
from generate_returns import FIELD_CODES, SHAPES  # noqa: E402

STAGES = ("ingest", "aggregate", "report")
REPORT_SETTINGS = ("MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES", "INPUT", "OUTPUT", "PERIOD", "QUARTER", "LANG_OUT", "STRICT", "ENCODING",
                   "DELIMITER", "DECIMAL", "TABLE", "ROW", "MEASURE", "STAGE_ROOT", "CONFIG")
TOOLS = ("ingest", "aggregate", "report", "trace", "stage")
MAX_SIZE_MB = 100_000
RSS_LIMIT_MIB = 600      # acceptance 2
GROWTH_LIMIT = 64        # acceptance 2: bytes per distinct key

# A wrapper per executable: the real one, from TECHSURVEY_BENCH_BIN, under /usr/bin/time, each run's
# figures appended to TECHSURVEY_BENCH_TIMES/<name>. Paths come from the environment, never from this text.
WRAPPER = """#!/bin/sh
# make bench: runs the real executable under /usr/bin/time (wall s, user s, system s, peak RSS KiB).
name=${0##*/}
exec /usr/bin/time -a -o "$TECHSURVEY_BENCH_TIMES/$name" -f '%e %U %S %M' "$TECHSURVEY_BENCH_BIN/$name" "$@"
"""

# Latest return per (unit_id, survey date, field code) as SPEC §3.4 has it: the latest submitted_at wins,
# a record without one ranks below every record with one, and of equal times the later row wins. The
# generated files are one file whose return_id is PK-<row, zero-padded>, so return_id orders by row.
# Dates and times are parsed in every form the generator writes (ISO and day-first, with or without
# seconds), so two spellings of one date are one key and times compare as times, not as text.
DUCKDB_LATEST = """
CREATE TEMP MACRO ts_time(t) AS COALESCE(
  TRY_STRPTIME(t, '%Y-%m-%d %H:%M:%S'), TRY_STRPTIME(t, '%Y-%m-%d %H:%M'),
  TRY_STRPTIME(t, '%d/%m/%Y %H:%M:%S'), TRY_STRPTIME(t, '%d/%m/%Y %H:%M'));
CREATE TEMP VIEW latest AS
WITH src AS (
  SELECT unit_id, return_id, ts_time(submitted_at) AS submitted,
         CASE field {cases} END AS field,
         COALESCE(TRY_STRPTIME(survey_date, '%Y-%m-%d'), TRY_STRPTIME(survey_date, '%d/%m/%Y'))::DATE AS d,
         CAST(technologies_found AS BIGINT) AS found, CAST(technologies_proposed AS BIGINT) AS proposed
  FROM read_csv({path}, header = true, all_varchar = true, quote = '"', escape = '"', delim = ',')
)
SELECT * FROM src
QUALIFY row_number() OVER (PARTITION BY unit_id, d, field ORDER BY submitted DESC NULLS LAST, return_id DESC) = 1;
"""
DUCKDB_QUERIES = {
    "by_field": "SELECT field, count(*), count(DISTINCT unit_id), sum(found), sum(proposed) FROM latest GROUP BY ALL ORDER BY ALL",
    "by_period": "SELECT year(d) || '-Q' || quarter(d) AS period, field, count(*), count(DISTINCT unit_id), sum(found), sum(proposed) "
                 "FROM latest GROUP BY ALL ORDER BY ALL",
}
DUCKDB_SCRIPT = """import duckdb, json, sys
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute(sys.argv[1])
print(json.dumps({name: con.sql(sql).fetchall() for name, sql in json.loads(sys.argv[2]).items()}))
"""


def fail(code, message):
    print(f"bench: {message}", file=sys.stderr)
    sys.exit(code)


def settings():
    env = os.environ
    sizes_text, shapes_text = env.get("BENCH_SIZES", "25 250 1000"), env.get("BENCH_SHAPES", " ".join(SHAPES))
    sizes = []
    for word in sizes_text.split():
        if not re.fullmatch(r"[1-9][0-9]{0,5}", word) or int(word) > MAX_SIZE_MB:
            fail(64, f"BENCH_SIZES={sizes_text!r}: {word!r} is not a size in MB; give whole numbers from 1 to {MAX_SIZE_MB}, e.g. BENCH_SIZES=\"25 250\"")
        sizes.append(int(word))
    shapes = shapes_text.split()
    for word in shapes:
        if word not in SHAPES:
            fail(64, f"BENCH_SHAPES={shapes_text!r}: {word!r} is not a shape; use {' or '.join(SHAPES)}")
    if not sizes or not shapes:
        fail(64, "BENCH_SIZES and BENCH_SHAPES need at least one size and one shape")
    paths = {}
    for name, default in (("BIN", ".build/release"), ("BENCH_DATA", "build/bench/data"), ("BENCH_OUT", "build/bench")):
        value = env.get(name) or default
        if "\n" in value or "\0" in value:
            fail(64, f"{name} holds a line break; give a plain folder path")
        paths[name] = os.path.abspath(value)
    for tool in TOOLS:
        if not os.access(os.path.join(paths["BIN"], f"techsurvey-{tool}"), os.X_OK):
            fail(69, f"{paths['BIN']}/techsurvey-{tool} is missing; run make build (or give BIN= the folder holding it)")
    return sorted(set(sizes)), list(dict.fromkeys(shapes)), paths


def timed(label, cmd, log, env=None, stdout=None):
    """Runs cmd under /usr/bin/time, its output to log (stdout to the file stdout if given); returns
    (wall s, CPU s, peak RSS MiB), or stops naming the log when cmd fails."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        with open(log, "wb") as err, open(stdout or os.devnull, "wb") as out:
            done = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", t.name] + cmd,
                                  stdout=out if stdout else err, stderr=err, env=env)
        figures = t.read().split()[-4:]
    if done.returncode != 0:
        tail = open(log, encoding="utf-8", errors="replace").read()[-2000:]
        fail(1, f"{label} failed (exit {done.returncode}); its output ends:\n{tail}\n(whole log: {log})")
    wall, user, system, rss = figures
    return float(wall), float(user) + float(system), int(rss) / 1024


def stage_times(path):
    """Sum of wall and CPU, max peak RSS, over the runs the wrapper recorded in path."""
    wall = cpu = rss = 0.0
    runs = 0
    for line in open(path):
        cells = line.split()
        if len(cells) == 4 and re.fullmatch(r"[0-9.]+", cells[0]):
            wall += float(cells[0]); cpu += float(cells[1]) + float(cells[2]); rss = max(rss, int(cells[3]) / 1024)
            runs += 1
    return {"wall": wall, "cpu": cpu, "rss": rss, "runs": runs}


def ensure_input(paths, shape, size):
    folder = os.path.join(paths["BENCH_DATA"], f"{shape}-{size}mb")
    csv_path = os.path.join(folder, "returns", "returns.csv")
    if not os.path.isfile(csv_path):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "generate_returns.py"), "--shape", shape,
                        "--size-mb", str(size), "--out", csv_path], check=True, stdout=sys.stderr)
    with open(csv_path, "rb") as f:  # warm cache for both tools
        while f.read(1 << 24):
            pass
    return folder, csv_path


def run_ours(paths, shape, size, folder, csv_path, wrappers):
    work = os.path.join(paths["BENCH_OUT"], f"{shape}-{size}mb")
    # A content cache of its own, emptied too: the charts and report.docx are made as for new data, not
    # taken from an earlier run on the same file (its keys hold the figures, which a run repeats).
    for sub in ("stage", "output", "times", "cache"):
        shutil.rmtree(os.path.join(work, sub), ignore_errors=True)
    os.makedirs(os.path.join(work, "times"))
    # The report as an analyst's plain `make report` makes it: the settings the outer make exported
    # (PERIOD=2015 given to `make bench` would change the figures) are left out, and so is its command line.
    env = {k: v for k, v in os.environ.items() if k not in REPORT_SETTINGS}
    env.update(TECHSURVEY_BENCH_BIN=paths["BIN"], TECHSURVEY_BENCH_TIMES=os.path.join(work, "times"))
    cmd = ["make", "--no-print-directory", "-C", ROOT, "report", f"INPUT={folder}", f"OUTPUT={work}/output",
           f"STAGE_ROOT={work}/stage", f"CACHE={work}/cache", f"BIN={wrappers}"]
    wall, cpu, rss = timed(f"make report on {csv_path}", cmd, os.path.join(work, "make.log"), env)
    result = {"shape": shape, "size": size, "bytes": os.path.getsize(csv_path), "input": csv_path,
              "whole": {"wall": wall, "cpu": cpu, "rss": rss}}
    for stage in STAGES:
        times = os.path.join(work, "times", f"techsurvey-{stage}")
        if not os.path.isfile(times):
            fail(1, f"make report on {csv_path} ran no techsurvey-{stage}; see {work}/make.log")
        result[stage] = stage_times(times)
    stages = [d for d in os.listdir(os.path.join(work, "stage")) if os.path.isfile(os.path.join(work, "stage", d, "ingest.json"))]
    if len(stages) != 1:
        fail(1, f"expected one stage folder with ingest.json under {work}/stage, found {stages}")
    summary = json.load(open(os.path.join(work, "stage", stages[0], "ingest.json"), encoding="utf-8"))
    counts = find_counts(summary)
    if counts is None:
        fail(1, f"{work}/stage/{stages[0]}/ingest.json names no returns file with rows_read, rows_accepted, rows_superseded and rows_rejected")
    result.update(records=counts[0], keys=counts[1], superseded=counts[2], rejected=counts[3])
    result["tables"] = os.path.join(work, "output", "tables")
    raw = subprocess.run([os.path.join(paths["BENCH_OUT"], "raw-libcsv"), csv_path], capture_output=True, text=True)
    result["raw_libcsv_mb_s"] = raw.stdout.strip() if raw.returncode == 0 else "—"
    return result


def find_counts(summary):
    """(rows read, accepted = distinct keys, superseded, rejected) of the returns files in ingest.json."""
    files = [f for f in summary.get("files", []) if isinstance(f, dict) and f.get("kind") == "returns"] if isinstance(summary, dict) else []
    names = ("rows_read", "rows_accepted", "rows_superseded", "rows_rejected")
    if not files or any(not isinstance(f.get(n), int) for f in files for n in names):
        return None
    return tuple(sum(f[n] for f in files) for n in names)


def our_tables(tables):
    def load(name, nkeys):
        with open(os.path.join(tables, f"{name}.csv"), encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))[1:]
        return {tuple(r[:nkeys]): tuple(int(x) for x in r[nkeys:nkeys + 4]) for r in rows
                if r[nkeys - 1] != "total" and int(r[nkeys]) > 0}
    return {"by_field": load("by_field", 1), "by_period": load("by_period", 2)}


def run_duckdb(paths, python, result, which):
    cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in FIELD_CODES.items())
    path_literal = "'" + result["input"].replace("'", "''") + "'"
    setup = DUCKDB_LATEST.replace("{cases}", cases).replace("{path}", path_literal)
    queries = {name: DUCKDB_QUERIES[name] for name in which}
    work = os.path.join(paths["BENCH_OUT"], f"{result['shape']}-{result['size']}mb")
    name = os.path.join(work, f"duckdb-{'-'.join(which)}")
    wall, cpu, rss = timed(f"DuckDB ({', '.join(which)}) on {result['input']}", [python, "-c", DUCKDB_SCRIPT, setup, json.dumps(queries)], name + ".log", stdout=name + ".json")
    rows = json.load(open(name + ".json"))
    figures = {name: {tuple(r[:-4]): tuple(int(x) for x in r[-4:]) for r in rows[name]} for name in which}
    return {"wall": wall, "cpu": cpu, "rss": rss}, figures


def differences(peer, ours):
    lines = []
    for key in sorted(set(peer) | set(ours)):
        if peer.get(key) != ours.get(key):
            lines.append(f"    {key}: DuckDB {peer.get(key)}, techsurvey {ours.get(key)}")
    return lines


def first_touch_gb_s(mib=512):
    """How fast the system hands out memory never written before, in GB/s. On a young virtual machine the
    host backs each page at its first write, at a fraction of the speed it reaches once warm (0.5 against
    several GB/s on the project's machines), and every figure here, ours and DuckDB's, moves with it."""
    size = mib << 20
    pages = mmap.mmap(-1, size)
    start = time.perf_counter()
    for offset in range(0, size, 4096):
        pages[offset] = 1
    seconds = time.perf_counter() - start
    pages.close()
    return size / seconds / 1e9


def machine(at_start):
    mem = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal:")), 0)
    load = open("/proc/loadavg").read().split()[:3]
    return (f"{os.cpu_count()} cores, {mem / 1024 / 1024:.1f} GiB memory; load average {at_start['load']} at the start, "
            f"{' '.join(load)} at the end (1, 5, 15 min); fresh memory written at {at_start['touch']:.2f} GB/s at the start, "
            f"{first_touch_gb_s():.2f} GB/s at the end")


def growth(results, shape):
    """Bytes of peak RSS per distinct key between the smallest and largest size, per stage and whole."""
    rows = sorted((r for r in results if r["shape"] == shape), key=lambda r: r["size"])
    if len(rows) < 2 or rows[-1]["keys"] == rows[0]["keys"]:
        return None
    small, large = rows[0], rows[-1]
    per = {part: (large[part]["rss"] - small[part]["rss"]) * 1024 * 1024 / (large["keys"] - small["keys"]) for part in STAGES + ("whole",)}
    return small["size"], large["size"], per


def peak(result):
    return max(result[s]["rss"] for s in STAGES)


def mb_s(result, seconds):
    return f"{result['bytes'] / 1e6 / seconds:.0f}" if seconds > 0 else "—"


def results_md(results):
    lines = ["# make bench", "",
             "Wall and CPU seconds (user + system) and peak RSS of `make report` from an empty stage folder, and of each",
             "stage in that run. Records and distinct keys from the stage's ingest.json. CPU seconds are the figure to",
             "compare when the machine is shared.", "",
             "| input | records | distinct keys | part | wall s | CPU s | MB/s | peak RSS MiB |",
             "|---|---:|---:|---|---:|---:|---:|---:|"]
    for r in results:
        name = f"{r['shape']} {r['size']} MB"
        for part in STAGES + ("whole",):
            p = r[part]
            label = "**make report**" if part == "whole" else part
            lines.append(f"| {name} | {r['records']:,} | {r['keys']:,} | {label} | {p['wall']:.2f} | {p['cpu']:.2f} | {mb_s(r, p['wall'])} | {p['rss']:.0f} |")
    lines += ["", "libcsv alone over the same file (one thread, empty callbacks; the floor under ingest's MB/s): "
              + ", ".join(f"{r['shape']} {r['size']} MB {r['raw_libcsv_mb_s']} MB/s" for r in results) + "."]
    lines += ["", "Peak RSS growth per distinct key, (RSS at the largest size − RSS at the smallest) / (keys − keys):", "",
              "| shape | sizes | ingest B/key | aggregate B/key | report B/key | make report B/key |", "|---|---|---:|---:|---:|---:|"]
    for shape in dict.fromkeys(r["shape"] for r in results):
        g = growth(results, shape)
        if g:
            lines.append(f"| {shape} | {g[0]} → {g[1]} MB | " + " | ".join(f"{g[2][p]:.1f}" for p in STAGES + ("whole",)) + " |")
        else:
            lines.append(f"| {shape} | one size only | — | — | — | — |")
    lines += ["", f"machine: {machine(START)}"]
    return "\n".join(lines) + "\n"


def verdicts(results, peers):
    at = {(r["shape"], r["size"]): (r, peers.get((r["shape"], r["size"]))) for r in results}
    lines = []
    distinct, resub = at.get(("distinct", 1000)), at.get(("resubmitted", 1000))
    def mark(ok):
        return "PASS" if ok else "FAIL"
    if distinct and distinct[1]:
        r, p = distinct
        ok = r["whole"]["wall"] < p["by_field"]["wall"] and p["identical"]
        lines.append(f"- Acceptance 1, distinct 1 GB: make report {r['whole']['wall']:.2f} s vs DuckDB by field {p['by_field']['wall']:.2f} s, "
                     f"figures {'identical' if p['identical'] else 'DIFFERENT'}: **{mark(ok)}**")
    else:
        lines.append("- Acceptance 1, distinct 1 GB: not measured (run with 1000 in BENCH_SIZES and distinct in BENCH_SHAPES)")
    if resub and resub[1]:
        r, p = resub
        ok = r["whole"]["wall"] < p["both"]["wall"] and p["identical"]
        aim = "below" if r["whole"]["wall"] < p["by_field"]["wall"] else "not below"
        lines.append(f"- Acceptance 1, resubmitted 1 GB: make report {r['whole']['wall']:.2f} s vs DuckDB both queries {p['both']['wall']:.2f} s, "
                     f"figures {'identical' if p['identical'] else 'DIFFERENT'}: **{mark(ok)}** (aim: {aim} DuckDB by field, {p['by_field']['wall']:.2f} s)")
    else:
        lines.append("- Acceptance 1, resubmitted 1 GB: not measured (run with 1000 in BENCH_SIZES and resubmitted in BENCH_SHAPES)")
    for shape, pair in (("distinct", distinct), ("resubmitted", resub)):
        if pair and pair[1]:
            r, p = pair
            ok = peak(r) < RSS_LIMIT_MIB and peak(r) < p["by_field"]["rss"]
            lines.append(f"- Acceptance 2, {shape} 1 GB: peak RSS {peak(r):.0f} MiB (max over stages) vs limit {RSS_LIMIT_MIB} MiB and DuckDB by field "
                         f"{p['by_field']['rss']:.0f} MiB: **{mark(ok)}**")
        else:
            lines.append(f"- Acceptance 2, {shape} 1 GB: not measured")
        g = growth(results, shape)
        if g and g[0] == 25 and g[1] == 1000:
            worst = max(g[2][s] for s in STAGES)
            lines.append(f"- Acceptance 2, {shape} growth 25 MB → 1 GB: {worst:.1f} B per distinct key (worst stage; "
                         + ", ".join(f"{s} {g[2][s]:.1f}" for s in STAGES) + f") vs {GROWTH_LIMIT} B: **{mark(worst <= GROWTH_LIMIT)}**")
        else:
            lines.append(f"- Acceptance 2, {shape} growth 25 MB → 1 GB: not measured (needs 25 and 1000 in BENCH_SIZES)")
    return lines


def peers_md(results, peers):
    lines = ["# make bench-peers", "",
             "techsurvey's whole pipeline (`make report`, every table and check, from an empty stage folder) and DuckDB",
             "(latest return per unit_id, survey date, field by submitted_at, as SPEC §3.4) on the same file, DuckDB",
             "right after techsurvey, each in its own process under /usr/bin/time. Figures: DuckDB's by-field and",
             "by-quarter × field rows against techsurvey's tables/by_field.csv and by_period.csv.", ""]
    for shape in dict.fromkeys(r["shape"] for r in results):
        lines += [f"## {shape}", "",
                  "| input | records | distinct keys | techsurvey make report | ingest | aggregate | report | techsurvey peak RSS | "
                  "DuckDB by field | DuckDB by-field RSS | DuckDB both queries | figures identical |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for r in (r for r in results if r["shape"] == shape):
            p = peers[(shape, r["size"])]
            w = r["whole"]
            stage = lambda s: f"{r[s]['wall']:.2f} s ({r[s]['cpu']:.1f} CPU, {r[s]['rss']:.0f} MiB)"
            lines.append(f"| {r['size']} MB | {r['records']:,} | {r['keys']:,} | {w['wall']:.2f} s ({w['cpu']:.1f} CPU) | {stage('ingest')} | "
                         f"{stage('aggregate')} | {stage('report')} | {peak(r):.0f} MiB | {p['by_field']['wall']:.2f} s ({p['by_field']['cpu']:.1f} CPU) | "
                         f"{p['by_field']['rss']:.0f} MiB | {p['both']['wall']:.2f} s ({p['both']['cpu']:.1f} CPU, {p['both']['rss']:.0f} MiB) | "
                         f"{'yes' if p['identical'] else '**NO**'} |")
        lines.append("")
    lines += ["## Acceptance (issue #14)", ""] + verdicts(results, peers)
    duck = peers and next(iter(peers.values())).get("version", "")
    lines += ["", f"machine: {machine(START)}; DuckDB {duck}; wall seconds with CPU seconds (user + system) in brackets."]
    return "\n".join(lines) + "\n"


# The machine as the run found it: load average and how fast fresh memory comes (see first_touch_gb_s).
START = {"load": "", "touch": 0.0}


def main():
    with_peers = sys.argv[1:] == ["--peers"]
    if sys.argv[1:] not in ([], ["--peers"]):
        fail(64, "usage: run.py [--peers]")
    sizes, shapes, paths = settings()
    python = os.environ.get("BENCH_PYTHON", "")
    if with_peers and not os.access(python, os.X_OK):
        fail(69, f"BENCH_PYTHON={python!r} is not an executable Python with duckdb; run make bench-peers, which makes one")
    START["load"] = " ".join(open("/proc/loadavg").read().split()[:3])
    START["touch"] = first_touch_gb_s()
    os.makedirs(paths["BENCH_OUT"], exist_ok=True)
    wrappers = os.path.join(paths["BENCH_OUT"], "timed-bin")
    os.makedirs(wrappers, exist_ok=True)
    # The floor under ingest's MB/s: libcsv's state machine alone, one thread, empty callbacks.
    subprocess.run(["cc", "-O2", "-o", os.path.join(paths["BENCH_OUT"], "raw-libcsv"), os.path.join(ROOT, "bench", "raw_libcsv.c"), "-lcsv"], check=True)
    for tool in TOOLS:
        path = os.path.join(wrappers, f"techsurvey-{tool}")
        with open(path, "w") as f:
            f.write(WRAPPER)
        os.chmod(path, 0o755)
    version = ""
    if with_peers:
        version = subprocess.run([python, "-c", "import duckdb; print(duckdb.__version__)"], check=True, capture_output=True, text=True).stdout.strip()
    results, peers, wrong = [], {}, []
    for shape in shapes:
        for size in sizes:
            folder, csv_path = ensure_input(paths, shape, size)
            print(f"bench: {shape} {size} MB: techsurvey make report", file=sys.stderr, flush=True)
            result = run_ours(paths, shape, size, folder, csv_path, wrappers)
            results.append(result)
            if with_peers:
                print(f"bench: {shape} {size} MB: DuckDB", file=sys.stderr, flush=True)
                ours = our_tables(result["tables"])
                by_field, figures1 = run_duckdb(paths, python, result, ["by_field"])
                both, figures2 = run_duckdb(paths, python, result, ["by_field", "by_period"])
                diff = []
                for name, figures in (("by_field", figures1["by_field"]), ("by_field", figures2["by_field"]), ("by_period", figures2["by_period"])):
                    d = differences(figures, ours[name])
                    if d:
                        diff.append(f"  {shape} {size} MB, {name} ({len(d)} rows differ):")
                        diff += d[:20]
                wrong += diff
                peers[(shape, size)] = {"by_field": by_field, "both": both, "identical": not diff, "version": version}
            with open(os.path.join(paths["BENCH_OUT"], "results.json"), "w") as f:
                json.dump(results, f, indent=1)
            with open(os.path.join(paths["BENCH_OUT"], "results.md"), "w") as f:
                f.write(results_md(results))
    text = results_md(results)
    if with_peers:
        text = peers_md(results, peers)
        with open(os.path.join(paths["BENCH_OUT"], "peers.md"), "w") as f:
            f.write(text)
    print(text)
    if wrong:
        print("bench: DuckDB's figures differ from techsurvey's:\n" + "\n".join(wrong), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

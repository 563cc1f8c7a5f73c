#!/usr/bin/env python3
"""make bench-peers: the same measures with the tools a data engineer would reach for instead.

For each generated file, DuckDB (Python package) and Miller compute rows, distinct units, technologies
found and proposed — by field, and by quarter × field — with techsurvey's rules (the file's field
spellings mapped to codes, ISO or day-first dates, the latest submission of each (unit, date, field)
kept). Each runs in its own process under /usr/bin/time for wall time and peak RSS. Every peer's figures
are checked against techsurvey's tables from `make bench`; the results table goes to
build/bench/peers.md. usage: peers.py SIZE_MB...
"""
import csv, json, os, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(__file__))
from generate_returns import FIELD_CODES  # noqa: E402

OUT = "build/bench"

DUCKDB_SQL = """
WITH src AS (
  SELECT unit_id, return_id, submitted_at,
         CASE field {cases} END AS field,
         COALESCE(TRY_STRPTIME(survey_date, '%Y-%m-%d'), TRY_STRPTIME(survey_date, '%d/%m/%Y'))::DATE AS d,
         CAST(technologies_found AS BIGINT) AS found, CAST(technologies_proposed AS BIGINT) AS proposed
  FROM read_csv('{path}', header = true, all_varchar = true, quote = '"', escape = '"', delim = ',')
), latest AS (
  SELECT * FROM src
  QUALIFY row_number() OVER (PARTITION BY unit_id, d, field ORDER BY submitted_at DESC, return_id DESC) = 1
)
SELECT {keys}, count(*), count(DISTINCT unit_id), sum(found), sum(proposed) FROM latest GROUP BY ALL ORDER BY ALL
"""

MILLER_DSL = """
begin { @codes = {codes} }
d = $survey_date;
if (d =~ "^([0-9]{2})/([0-9]{2})/([0-9]{4})$") { d = "\\3-\\2-\\1" }
f = @codes[$field];
k = $unit_id . "|" . d . "|" . f;
t = $submitted_at . "|" . $return_id;
if (is_absent(@best[k])) {
  @best[k] = {"t": t, "f": f, "u": $unit_id, "fo": $technologies_found, "pr": $technologies_proposed};
} elif (t > @best[k]["t"]) {
  @best[k] = {"t": t, "f": f, "u": $unit_id, "fo": $technologies_found, "pr": $technologies_proposed};
}
end {
  for (k, v in @best) {
    f = v["f"];
    @rows[f] += 1; @found[f] += v["fo"]; @prop[f] += v["pr"]; @units[f][v["u"]] = 1;
  }
  for (f, n in @rows) {
    @out[f] = {"rows": n, "units": length(@units[f]), "found": @found[f], "proposed": @prop[f]};
  }
  emit @out, "field";
}
"""


def timed(cmd):
    """Runs cmd under /usr/bin/time; returns (stdout, wall seconds, peak RSS MiB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        out = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + cmd, check=True, capture_output=True, text=True).stdout
        wall, rss = t.read().split()
    return out, float(wall), int(rss) / 1024


def duckdb_query(path, keys):
    cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in FIELD_CODES.items())
    select = {"field": "field", "quarter": "year(d) || '-Q' || quarter(d) AS period, field"}[keys]
    sql = DUCKDB_SQL.format(cases=cases, path=path, keys=select)
    script = ("import duckdb, json\ncon = duckdb.connect()\ncon.execute('SET enable_progress_bar = false')\n"
              f"print(json.dumps(con.sql({sql!r}).fetchall()))")
    out, wall, rss = timed([sys.executable, "-c", script])
    rows = json.loads(out)
    return {tuple(r[:-4]): tuple(int(x) for x in r[-4:]) for r in rows}, wall, rss


def miller_by_field(path):
    dsl = MILLER_DSL.replace("{codes}", json.dumps(FIELD_CODES, ensure_ascii=False))
    out, wall, rss = timed(["mlr", "--icsv", "--ojson", "put", "-q", dsl, path])
    rows = json.loads(out) if out.strip() else []
    return {(r["field"],): (r["rows"], r["units"], r["found"], r["proposed"]) for r in rows}, wall, rss


def ours(size):
    tables = f"{OUT}/output-{size}mb/tables"
    def load(name, nkeys):
        with open(f"{tables}/{name}.csv", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))[1:]
        return {tuple(r[:nkeys]): tuple(int(x) for x in r[nkeys:nkeys + 4]) for r in rows
                if r[nkeys - 1] != "total" and int(r[nkeys]) > 0}
    return load("by_field", 1), load("by_period", 2)


def our_times(size):
    times, rss = {}, 0
    with open(f"{OUT}/results.md") as f:
        for line in f:
            cells = [c.strip(" *") for c in line.split("|")[1:-1]]
            if len(cells) == 5 and cells[0] == f"{size} MB" and cells[2]:
                times[cells[1]] = float(cells[2])
                if cells[4]:
                    rss = max(rss, int(cells[4]))
    return times.get("total"), rss


def main():
    lines = ["| input | tool | query | wall s | peak RSS MiB | figures | wall vs techsurvey |", "|---:|---|---|---:|---:|---|---:|"]
    failures = 0
    for size in sys.argv[1:]:
        path = f"{OUT}/returns-{size}mb/returns/returns.csv"
        by_field, by_quarter = ours(size)
        total, our_rss = our_times(size)
        lines.append(f"| {size} MB | techsurvey | whole pipeline, every table | {total} | {our_rss} | — | 1.00 |")
        runs = [("DuckDB", "by field", lambda: duckdb_query(path, "field"), by_field),
                ("DuckDB", "by quarter × field", lambda: duckdb_query(path, "quarter"), by_quarter),
                ("Miller", "by field", lambda: miller_by_field(path), by_field)]
        duckdb_walls, duckdb_rss = [], 0
        for tool, query, run, expected in runs:
            if tool == "Miller" and len(duckdb_walls) == 2:
                # The line acceptance compares the whole pipeline with: DuckDB's two queries together.
                both = sum(duckdb_walls)
                ratio = f"{both / total:.2f}" if total else "-"
                lines.append(f"| {size} MB | DuckDB | both queries, one after the other | {both:.2f} | {duckdb_rss:.0f} | — | {ratio} |")
            try:
                figures, wall, rss = run()
            except subprocess.CalledProcessError as e:
                # Miller keeps every key in memory; on the largest file the kernel may kill it.
                reason = "killed, out of memory" if e.returncode in (137, -9) else f"exit {e.returncode}"
                lines.append(f"| {size} MB | {tool} | {query} | — | — | failed ({reason}) | — |")
                continue
            same = figures == expected
            failures += not same
            if tool == "DuckDB":
                duckdb_walls.append(wall)
                duckdb_rss = max(duckdb_rss, rss)
            ratio = f"{wall / total:.2f}" if total else "-"
            lines.append(f"| {size} MB | {tool} | {query} | {wall:.2f} | {rss:.0f} | {'identical' if same else 'DIFFERENT'} | {ratio} |")
            if not same:
                print(f"{tool} {query} on {size} MB disagrees:\n  peer: {sorted(figures.items())[:6]}\n  ours: {sorted(expected.items())[:6]}", file=sys.stderr)
    lines.append(f"machine: {os.cpu_count()} cores")
    with open(f"{OUT}/peers.md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

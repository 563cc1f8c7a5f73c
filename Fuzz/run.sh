#!/bin/sh
# make fuzz: builds the libFuzzer targets (Fuzz/Package.swift, -sanitize=fuzzer,address) and runs each for
# FUZZ_SECONDS, one after the other at the lowest priority, on a corpus under build/fuzz/ seeded from
# Tests/Fixtures/ and input/. Inputs that break an invariant land in build/fuzz/findings/<target>/.
# Settings come from the environment (make exports them), never as shell code: FUZZ_SECONDS (default 300),
# FUZZ_TARGETS (default "ingest csv markup"), SWIFT (the swift driver).
set -eu

seconds=${FUZZ_SECONDS:-300}
targets=${FUZZ_TARGETS:-ingest csv markup}
swift=${SWIFT:-swift}
case $seconds in
  ''|*[!0-9]*) echo "fuzz: FUZZ_SECONDS must be a whole number of seconds, not '$seconds'" >&2; exit 64 ;;
esac
for t in $targets; do
  case $t in
    ingest|csv|markup) ;;
    *) echo "fuzz: unknown target '$t' in FUZZ_TARGETS; use ingest, csv or markup" >&2; exit 64 ;;
  esac
done

out=build/fuzz
bin=$out/.build/release
# SwiftPM does not notice files added to a path dependency (the core library, after a merge) once it has a
# build plan, so the plan is made afresh each time; compiled objects are still reused.
rm -f "$out/.build/release.yaml" "$out"/.build/*/release/description.json
nice -n 19 "$swift" build --package-path Fuzz -c release --build-path "$out/.build" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing

# Seeds: every fixture as it is, plus multi-part inputs in the ingest target's format (see its main.swift).
seeds() {
  dir=$out/seeds/$1
  rm -rf "$dir" && mkdir -p "$dir"
  n=0
  case $1 in
    ingest)
      find Tests/Fixtures input -type f \( -path '*/returns/*' -o -path '*/activities/*' \) \( -name '*.csv' -o -name '*.txt' -o -name '*.tsv' \) | sort | while read -r f; do
        n=$((n + 1)); cp "$f" "$dir/file-$n"
      done
      { cat Tests/Fixtures/resubmission/input/returns/a-first.csv; printf '\n==returns2==\n'
        cat Tests/Fixtures/resubmission/input/returns/b-second.csv; } > "$dir/resubmission"
      { cat Tests/Fixtures/encodings/clean/input/returns/returns.csv; printf '\n==activities==\n'
        find input/activities Tests/Fixtures -path '*/activities/*.csv' 2>/dev/null | head -1 | xargs cat
        printf '\n==aliases==\nkind,alias,code\nfield,Sinh hoc ung dung,biotech\ncolumn,So CN,technologies_found\n'; } > "$dir/with-activities"
      { cat Tests/Fixtures/encodings/tcvn3/input/returns/returns.csv; printf '\n==options==\nencoding=tcvn3\n'; } > "$dir/tcvn3"
      { cat Tests/Fixtures/encodings/semicolon-crlf/input/returns/returns.csv; printf '\n==options==\ndelimiter=;\n'; } > "$dir/semicolon"
      ;;
    csv)
      printf '=1+2\037"quoted, cell"\037 lead\036-3\037@SUM(A1)\037\tTab\036line\r\nend\037x' > "$dir/formulas"
      printf 'Công nghệ sinh học\037Hải Phòng\036\037\037' > "$dir/vietnamese"
      cp Tests/Fixtures/rejects/input/returns/returns.csv "$dir/libcsv"
      ;;
    markup)
      printf '[click](javascript:alert(1))' > "$dir/link"
      printf '![x](http://host/pixel.png)' > "$dir/image"
      printf 'a<b c>d <script>x</script> < 5%% **bold** _em_ `code` # h ~~s~~ | pipe \\ back' > "$dir/syntax"
      printf 'esc\033[31mred\007 bidi\342\200\256txt nul\000 c1\302\233 line\nbreak\r\n' > "$dir/controls"
      printf 'Công nghệ vật liệu mới & "quotes" '"'"'single'"'"'' > "$dir/text"
      ;;
  esac
}

status=0
for t in $targets; do
  case $t in ingest) len=8192 ;; *) len=1024 ;; esac
  seeds "$t"
  mkdir -p "$out/corpus/$t" "$out/findings/$t" "$out/logs"
  log=$out/logs/$t-$(date -u +%Y%m%dT%H%M%SZ).log
  echo "fuzz: $t for ${seconds}s (log $log)"
  # The Swift backtracer would hold the crash for seconds; libFuzzer reports crashes itself.
  rc=0
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 nice -n 19 "$bin/fuzz-$t" \
    -max_total_time="$seconds" -max_len="$len" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="Fuzz/$t.dict" -artifact_prefix="$out/findings/$t/" "$out/corpus/$t" "$out/seeds/$t" >"$log" 2>&1 || rc=$?
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*(DONE|cov:)' "$log" | tail -3 | sed "s/^/fuzz: $t: /"
  grep -m1 -E 'invariant failed|ERROR: (AddressSanitizer|libFuzzer)|Fatal error' "$log" | sed "s/^/fuzz: $t: FOUND: /" || true
  [ "$rc" -eq 0 ] || status=1
done
echo "fuzz: findings (minimise with: $bin/fuzz-<target> -minimize_crash=1 -runs=10000 <file>):"
find "$out/findings" -type f | sed 's/^/  /'
exit $status

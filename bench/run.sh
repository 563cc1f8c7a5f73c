#!/bin/sh
# make bench: generate (once) the synthetic returns of each size and run the real pipeline on each,
# printing per stage and in total: wall seconds, MB/s of input, and peak RSS. Results also go to
# build/bench/results.md. usage: bench/run.sh BIN_DIR SIZE_MB...
set -eu
bin=$1
shift
out=build/bench
mkdir -p "$out"
results="$out/results.md"
# The raw libcsv floor: its state machine alone, one thread, empty callbacks.
cc -O2 -o "$out/raw-libcsv" bench/raw_libcsv.c -lcsv
{
  echo "| input | stage | wall s | MB/s | peak RSS MiB |"
  echo "|---:|---|---:|---:|---:|"
} > "$results"
for size in "$@"; do
  data="$out/returns-${size}mb"
  if [ ! -f "$data/returns/returns.csv" ]; then
    python3 bench/generate_returns.py --size-mb "$size" --out "$data/returns/returns.csv" >&2
  fi
  bytes=$(stat -c %s "$data/returns/returns.csv")
  stage="$out/stage-${size}mb"
  rm -rf "$stage" "$out/output-${size}mb"
  total=0
  for step in ingest aggregate report; do
    case $step in
      ingest) set -- "$bin/techsurvey-ingest" --input "$data" --stage "$stage" ;;
      aggregate) set -- "$bin/techsurvey-aggregate" --stage "$stage" ;;
      report) set -- "$bin/techsurvey-report" --stage "$stage" --output "$out/output-${size}mb" ;;
    esac
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > /dev/null
    read -r wall rss < "$out/time.txt"
    total=$(awk -v a="$total" -v b="$wall" 'BEGIN { print a + b }')
    rate=$(awk -v b="$bytes" -v s="$wall" 'BEGIN { if (s > 0) printf "%.1f", b / 1e6 / s; else print "-" }')
    echo "| ${size} MB | $step | $wall | $rate | $((rss / 1024)) |" >> "$results"
  done
  rate=$(awk -v b="$bytes" -v s="$total" 'BEGIN { if (s > 0) printf "%.1f", b / 1e6 / s; else print "-" }')
  echo "| ${size} MB | **total** | **$total** | **$rate** | |" >> "$results"
  echo "| ${size} MB | raw libcsv, 1 thread, empty callbacks | | $("$out/raw-libcsv" "$data/returns/returns.csv") | |" >> "$results"
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB" >> "$results"
cat "$results"

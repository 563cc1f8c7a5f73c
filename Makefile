# techsurvey. `make report` and `make test` are all an analyst needs (README). Works under cron's bare
# environment (PATH=/usr/bin:/bin, no LANG).
#
# No variable given to make ever reaches a shell as code, with `make -n` or without: every one is exported
# and recipes use it only as "$$NAME" (the shell's quoted parameter, data), no $(shell …) sees one, and no
# make target is built from one. scripts/pipeline.sh checks the variables, takes the locks, finishes an
# interrupted publication, and runs the stage graph (scripts/stages.mk) inside the stage folder, where
# every target has a generated name; so .DELETE_ON_ERROR only ever reaches stage files, never OUTPUT.

# make expands a variable's value whenever it is referenced or exported to a recipe, so a value given on
# the command line or in the environment such as INPUT='$(shell id)' would run; every such variable is
# first made a simple one holding its text as given, and stays exported as make would have it. (A command
# line value still overrides the Makefile, an environment value still does not.)
$(foreach v,$(filter-out MAKEFLAGS MFLAGS MAKELEVEL MAKEFILES MAKECMDGOALS SHELL CURDIR,$(.VARIABLES)),$(if \
  $(filter command line,$(origin $v)),$(eval override $v := $$(value $v))$(eval export $v),$(if \
  $(filter environment,$(origin $v)),$(eval $v := $$(value $v))$(eval export $v))))

SHELL := /bin/sh
.DELETE_ON_ERROR:
.DEFAULT_GOAL := report
.SUFFIXES:

INPUT      ?= input
OUTPUT     ?= output
PERIOD     ?=
QUARTER    ?=
LANG_OUT   ?= vi
STRICT     ?=
ENCODING   ?=
DELIMITER  ?=
# Decimal mark of budgets (comma|dot).
DECIMAL    ?=
TABLE      ?=
ROW        ?=
MEASURE    ?=
STAGE_ROOT ?= build/stage
# Where the stages keep what they may reuse by content (a workbook's cells, a chart's PNG, Word's reference
# document, pandoc's conversion of the report; README); kept when stage folders are removed.
CACHE      ?= build/cache
CONFIG     ?= release
# make bench: sizes in MB, shapes (distinct|resubmitted), where generated inputs are kept, where results go.
BENCH_SIZES  ?= 25 250 1000
BENCH_SHAPES ?= distinct resubmitted
BENCH_DATA   ?= build/bench/data
BENCH_OUT    ?= build/bench
export INPUT OUTPUT PERIOD QUARTER LANG_OUT STRICT ENCODING DELIMITER DECIMAL TABLE ROW MEASURE STAGE_ROOT CACHE CONFIG \
  BENCH_SIZES BENCH_SHAPES BENCH_DATA BENCH_OUT

# CONFIG names a build folder and a make target, so it is checked here, by make, before any shell runs.
ifeq ($(filter release debug,$(CONFIG)),)
$(error CONFIG must be release or debug)
endif
ifneq ($(words $(CONFIG)),1)
$(error CONFIG must be release or debug)
endif

# The executables' folder. BIN given on the command line (the tests' debug build) is used as it is, never
# built; a BIN in the environment is someone else's and ignored.
ifneq ($(filter command line override,$(origin BIN)),)
BIN_TARGETS :=
else
override BIN := .build/$(CONFIG)
BIN_TARGETS := $(addprefix $(BIN)/,techsurvey-ingest techsurvey-aggregate techsurvey-report techsurvey-trace techsurvey-stage)
endif
export BIN

# cron runs with PATH=/usr/bin:/bin; the toolchain lives in /opt/swift on these machines. No user variable
# is involved in finding it; a given SWIFT is only ever used as "$$SWIFT".
# Looked up once (a simple variable), not again for every recipe it is exported to, and by make itself
# along PATH, so a run of make report starts no shell before its recipe.
ifeq ($(origin SWIFT),undefined)
SWIFT := $(or $(firstword $(wildcard $(addsuffix /swift,$(subst :, ,$(PATH))))),$(wildcard /opt/swift/usr/bin/swift),swift)
endif
export SWIFT
# Every file under Sources/, to any depth, listed by make itself (no find to start on every run).
files_under = $(foreach f,$(wildcard $1/*),$(if $(wildcard $f/.),$(call files_under,$f),$f))
SOURCES := Package.swift $(call files_under,Sources)

.PHONY: report quarterly trace stage-csv deps build test test-packages clean bench bench-peers fuzz time-bundled

# The report of INPUT in OUTPUT; re-runs only the stages whose inputs changed.
report: $(BIN_TARGETS)
	@sh scripts/pipeline.sh report

# The quarterly rollup for cron: the last complete quarter (or QUARTER=2015-Q2), with change against the
# previous quarter and the same quarter a year earlier, in OUTPUT/YYYY-Qn/.
quarterly: $(BIN_TARGETS)
	@sh scripts/pipeline.sh quarterly

# Where does a figure come from? make trace TABLE=by_field ROW=biotech MEASURE=technologies_found [PERIOD=…]
trace: $(BIN_TARGETS)
	@sh scripts/pipeline.sh trace

# The stage's accepted returns (binary returns.bin) as CSV: make stage-csv [INPUT=…] > returns.csv. Building
# and ingesting, when needed, report on stderr, so stdout holds only the CSV.
stage-csv: $(BIN_TARGETS)
	@sh scripts/pipeline.sh stage-csv

# libcsv-dev (the CSV parser), libssl-dev (SHA-256) and libxlsxwriter-dev (report.xlsx) are the system
# packages; installed only when a header is missing. python3-openpyxl reads .xlsx workbooks (through
# Debian's /usr/bin/python3); installed when it cannot be imported (Debian's folder of it is looked for
# first: starting Python to import it costs 0.4 s, on every `make report`).
# What deps installs, where Debian puts it: when every one is there (every run after the first), make sees
# so itself and deps starts no shell; otherwise the checks below look again, along PATH too.
DEPS_FILES := /usr/include/csv.h /usr/include/openssl/evp.h /usr/include/xlsxwriter.h /usr/lib/python3/dist-packages/openpyxl \
  /usr/bin/rsvg-convert /usr/bin/pandoc /usr/share/iso-codes/json/iso_3166-1.json /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
ifeq ($(filter-out $(wildcard $(DEPS_FILES)),$(DEPS_FILES)),)
deps: ;
else
deps:
	@if [ ! -f /usr/include/csv.h ] || [ ! -f /usr/include/openssl/evp.h ] || [ ! -f /usr/include/xlsxwriter.h ]; then \
	  echo "deps: installing libcsv-dev libssl-dev libxlsxwriter-dev"; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libcsv-dev libssl-dev libxlsxwriter-dev >/dev/null || { echo "deps: could not install libcsv-dev libssl-dev libxlsxwriter-dev; install them with: sudo apt-get install libcsv-dev libssl-dev libxlsxwriter-dev" >&2; exit 69; }; \
	fi
	@if [ ! -d /usr/lib/python3/dist-packages/openpyxl ] && ! /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then \
	  echo "deps: installing python3-openpyxl"; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3-openpyxl >/dev/null || { echo "deps: could not install python3-openpyxl; install it with: sudo apt-get install python3-openpyxl" >&2; exit 69; }; \
	fi
	@if ! command -v rsvg-convert >/dev/null || ! command -v pandoc >/dev/null || [ ! -f /usr/share/iso-codes/json/iso_3166-1.json ] \
	    || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  echo "deps: installing librsvg2-bin pandoc iso-codes fonts-dejavu-core (PNG charts, report.docx, country names)"; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends librsvg2-bin pandoc iso-codes fonts-dejavu-core >/dev/null || { echo "deps: could not install librsvg2-bin pandoc iso-codes fonts-dejavu-core; install them with: sudo apt-get install librsvg2-bin pandoc iso-codes fonts-dejavu-core" >&2; exit 69; }; \
	fi
endif

build: $(BIN_TARGETS)

# A release build links Swift's runtime and Foundation into each executable: a stage then starts in about
# 13 ms of a core instead of 21 (no shared libraries to bind), and make report starts three of them.
STATIC_STDLIB := $(if $(filter release,$(CONFIG)),--static-swift-stdlib)
ifneq ($(BIN_TARGETS),)
$(BIN_TARGETS) &: $(SOURCES) | deps
	"$$SWIFT" build -c "$$CONFIG" $(STATIC_STDLIB)
	@touch $(BIN_TARGETS)
endif

# Acceptance 3 of issue 14 on the bundled input: `make report` with nothing changed, and a full re-run
# (every stage folder removed, the cache kept); median and fastest of TIME_RUNS runs, wall and CPU (README).
TIME_RUNS ?= 10
export TIME_RUNS
time-bundled: $(BIN_TARGETS)
	@sh scripts/time-bundled.sh "$$TIME_RUNS"

# Speed and memory on generated returns of both shapes (bench/generate_returns.py; kept in BENCH_DATA,
# never committed): `make report` from an empty stage folder, and each stage in that run, per shape and
# size, to BENCH_OUT/results.md. Never part of test. bench/run.py reads the settings from the environment.
bench: $(BIN_TARGETS) | deps
	@/usr/bin/python3 bench/run.py

# The same, with DuckDB (PyPI, in a virtual environment under build/, made once) run right after
# techsurvey on each file with the same dedupe, its figures checked against ours, to BENCH_OUT/peers.md.
bench-peers: $(BIN_TARGETS) build/bench-tools/.ready | deps
	@BENCH_PYTHON="$$(pwd)/build/bench-tools/bin/python" /usr/bin/python3 bench/run.py --peers

build/bench-tools/.ready:
	@if ! /usr/bin/python3 -c 'import venv, ensurepip' 2>/dev/null; then \
	  echo "bench-peers: installing python3-venv"; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3-venv >/dev/null || { echo "bench-peers: could not install python3-venv; install it with: sudo apt-get install python3-venv" >&2; exit 69; }; \
	fi
	@rm -rf build/bench-tools
	/usr/bin/python3 -m venv build/bench-tools
	build/bench-tools/bin/python -m pip install -q duckdb || { echo "bench-peers: could not install duckdb from PyPI; check the network and run make bench-peers again" >&2; exit 69; }
	@touch $@

# Coverage-guided fuzzing (libFuzzer, Fuzz/): FUZZ_SECONDS per target (default 300), FUZZ_TARGETS (default
# "ingest csv markup"). Not part of test. The settings reach Fuzz/run.sh through the environment only.
FUZZ_SECONDS ?= 300
FUZZ_TARGETS ?= ingest csv markup
export FUZZ_SECONDS FUZZ_TARGETS SWIFT
fuzz: deps
	Fuzz/run.sh

# What the tests read the outputs back with: openpyxl (Debian) for report.xlsx, LibreOffice (with DejaVu,
# which has the Vietnamese letters) and pdftotext to open it as an analyst would, cmark-gfm (GitHub's
# renderer) and pandoc to render report.md as readers see it, frictionless (PyPI, in a
# virtual environment under build/, made once) for tables/datapackage.json. Installed only when missing; a
# test that lacks them fails, it is never skipped.
TEST_PYTHON := build/test-tools/bin/python
test: deps test-packages build/test-tools/.ready
	"$$SWIFT" build
	TECHSURVEY_BIN_DIR="$$(pwd)/.build/debug" TECHSURVEY_TEST_PYTHON="$$(pwd)/$(TEST_PYTHON)" "$$SWIFT" test

test-packages:
	@if ! /usr/bin/python3 -c 'import openpyxl, venv, ensurepip' 2>/dev/null || ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null \
	    || [ ! -f /usr/lib/libreoffice/share/registry/writer.xcd ] \
	    || ! command -v cmark-gfm >/dev/null || ! command -v pandoc >/dev/null \
	    || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  echo "test: installing python3-openpyxl python3-venv libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils fonts-dejavu-core cmark-gfm pandoc"; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends python3-openpyxl python3-venv libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils fonts-dejavu-core cmark-gfm pandoc >/dev/null || { echo "test: could not install the test tools; install them with: sudo apt-get install python3-openpyxl python3-venv libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils fonts-dejavu-core cmark-gfm pandoc" >&2; exit 69; }; \
	fi

build/test-tools/.ready: | test-packages
	@rm -rf build/test-tools
	/usr/bin/python3 -m venv --system-site-packages build/test-tools
	$(TEST_PYTHON) -m pip install -q frictionless || { echo "test: could not install frictionless from PyPI; check the network and run make test again" >&2; exit 69; }
	@touch $@

# Removes the build, the stage folders and the files the report in OUTPUT published; everything else in
# OUTPUT (logs, quarterly folders, notes) stays.
clean:
	@for tool in "$$BIN/techsurvey-report" .build/release/techsurvey-report .build/debug/techsurvey-report; do \
	  if [ -x "$$tool" ]; then "$$tool" --remove-published --output "$$OUTPUT" || exit; break; fi; \
	done
	rm -rf build .build

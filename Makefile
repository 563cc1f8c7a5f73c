# techsurvey — the stage graph. Files are targets and their inputs are prerequisites, so a second
# `make report` with unchanged input re-runs nothing. Works under cron's bare environment.

SHELL := /bin/sh
.DELETE_ON_ERROR:
.DEFAULT_GOAL := report

INPUT    ?= input
OUTPUT   ?= output
PERIOD   ?=
LANG_OUT ?= vi
STRICT   ?=
ENCODING ?=
DELIMITER ?=
# Decimal mark of budgets (comma|dot); reaches ingest through the environment, never as shell code.
DECIMAL ?=
export DECIMAL

# cron runs with PATH=/usr/bin:/bin; the toolchain lives in /opt/swift on these machines.
SWIFT ?= $(or $(shell command -v swift 2>/dev/null),$(wildcard /opt/swift/usr/bin/swift),swift)
CONFIG ?= release
BIN := .build/$(CONFIG)
INGEST := $(BIN)/techsurvey-ingest
AGGREGATE := $(BIN)/techsurvey-aggregate
REPORT := $(BIN)/techsurvey-report
TRACE := $(BIN)/techsurvey-trace
STAGE_TOOL := $(BIN)/techsurvey-stage
SOURCES := Package.swift $(shell find Sources -type f 2>/dev/null)

# One stage folder per input folder, so switching INPUT never reuses another folder's records.
STAGE := build/stage/$(subst /,_,$(abspath $(INPUT)))
INPUT_FILES := $(wildcard $(INPUT)/returns/*.csv $(INPUT)/returns/*.tsv $(INPUT)/returns/*.txt $(INPUT)/returns/*.xlsx \
                          $(INPUT)/activities/*.csv $(INPUT)/activities/*.tsv $(INPUT)/activities/*.txt $(INPUT)/activities/*.xlsx \
                          $(INPUT)/aliases.csv)
# Workbooks are read by this script (python3-openpyxl): a change to it re-runs ingest.
XLSX_READER := tools/xlsx_cells.py
# The folders themselves change when a file is added, removed or renamed.
INPUT_DIRS := $(wildcard $(INPUT)/returns $(INPUT)/activities) $(INPUT)

PERIOD_SLUG := $(if $(strip $(PERIOD)),$(subst .,_,$(strip $(PERIOD))),all)
AGGREGATES := $(STAGE)/aggregates-$(PERIOD_SLUG).json
STAGE_FILES := $(STAGE)/returns.bin $(STAGE)/activities.csv $(STAGE)/rejects.csv $(STAGE)/superseded.csv $(STAGE)/ingest.json
OUTPUT_FILES := $(addprefix $(OUTPUT)/,report.md report.xlsx news.md rejects.csv superseded.csv manifest.json \
  $(addprefix tables/,datapackage.json by_field.csv by_period.csv by_unit_type.csv by_district.csv activities_by_kind.csv activities_by_country.csv) \
  $(addprefix charts/,by_field.svg trend_by_quarter.svg activities_by_year.svg by_field.png trend_by_quarter.png activities_by_year.png) report.docx)

# The report stage publishes its files itself, all at once or not at all; make must never delete them when it
# fails (STRICT=1 on an empty period, a full disk), or a failed run would lose the previous report.
.PRECIOUS: $(OUTPUT_FILES)

# A settings file is rewritten only when the settings change, so its date tells make when they did.
define settings
$(shell mkdir -p $(dir $(1)) && if [ "$$(cat $(1) 2>/dev/null)" != "$(2)" ]; then printf '%s' "$(2)" > $(1); fi)$(1)
endef
INGEST_SETTINGS := $(call settings,$(STAGE)/ingest.settings,encoding=$(ENCODING) delimiter=$(DELIMITER) strict=$(STRICT) decimal=$(filter comma dot,$(DECIMAL)))
REPORT_SETTINGS := $(call settings,$(STAGE)/report-$(subst /,_,$(abspath $(OUTPUT))).settings,lang=$(LANG_OUT) period=$(PERIOD) strict=$(STRICT))

# The last complete quarter before today, in Vietnam's time zone unless TZ is set (SPEC §2).
QUARTER ?= $(shell TZ="$${TZ:-Asia/Ho_Chi_Minh}" date +'%Y %m' | awk '{ q = int(($$2 - 1) / 3); y = $$1; if (q == 0) { q = 4; y-- } printf "%d-Q%d", y, q }')

.PHONY: report quarterly trace stage-csv deps build test test-packages clean bench bench-peers

# One run at a time per output folder: the whole pipeline runs under OUTPUT/.make.lock, so a second
# concurrent run stops at once (flock's 75, the sysexits code for "try again later") instead of racing the
# first through ingest and aggregate; the report stage holds OUTPUT/.lock for the same reason.
ifeq ($(TECHSURVEY_LOCKED),)
report quarterly:
	@mkdir -p "$(OUTPUT)"
	@TECHSURVEY_LOCKED=1 flock -n -E 75 "$(OUTPUT)/.make.lock" $(MAKE) --no-print-directory $@ || { \
	  rc=$$?; [ $$rc -ne 75 ] || echo "techsurvey: another run is writing $(OUTPUT); wait for it to finish and run again" >&2; exit $$rc; }
else
report: $(OUTPUT_FILES)
	@echo "report: $(OUTPUT)/report.md, $(OUTPUT)/report.docx, $(OUTPUT)/report.xlsx, $(OUTPUT)/news.md, $(OUTPUT)/tables/, $(OUTPUT)/charts/"

# The quarterly rollup for cron: the quarter's report, with change against the previous quarter and the
# same quarter a year earlier, in OUTPUT/YYYY-Qn/.
quarterly:
	@$(MAKE) --no-print-directory report PERIOD="$(QUARTER)" OUTPUT="$(OUTPUT)/$(QUARTER)"
endif

# libcsv-dev (the CSV parser), libssl-dev (SHA-256) and libxlsxwriter-dev (report.xlsx) are the system
# packages; installed only when a header is missing. python3-openpyxl reads .xlsx workbooks (through
# Debian's /usr/bin/python3); installed when it cannot be imported.
deps:
	@if [ ! -f /usr/include/csv.h ] || [ ! -f /usr/include/openssl/evp.h ] || [ ! -f /usr/include/xlsxwriter.h ]; then \
	  echo "deps: installing libcsv-dev libssl-dev libxlsxwriter-dev"; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libcsv-dev libssl-dev libxlsxwriter-dev >/dev/null || { echo "deps: could not install libcsv-dev libssl-dev libxlsxwriter-dev; install them with: sudo apt-get install libcsv-dev libssl-dev libxlsxwriter-dev" >&2; exit 69; }; \
	fi
	@if ! /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then \
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

build: $(INGEST)

$(INGEST) $(AGGREGATE) $(REPORT) $(TRACE) $(STAGE_TOOL) &: $(SOURCES) | deps
	$(SWIFT) build -c $(CONFIG)
	@touch $(INGEST) $(AGGREGATE) $(REPORT) $(TRACE) $(STAGE_TOOL)

$(STAGE_FILES) &: $(INGEST) $(XLSX_READER) $(INPUT_FILES) $(INPUT_DIRS) $(INGEST_SETTINGS)
	$(INGEST) --input "$(INPUT)" --stage "$(STAGE)" \
	  $(if $(ENCODING),--encoding "$(ENCODING)") $(if $(DELIMITER),--delimiter "$(DELIMITER)") $(if $(STRICT),--strict) \
	  $${DECIMAL:+--decimal "$$DECIMAL"}

$(AGGREGATES): $(AGGREGATE) $(STAGE)/returns.bin $(STAGE)/activities.csv
	$(AGGREGATE) --stage "$(STAGE)" --period "$(PERIOD)" --output "$@"

$(OUTPUT_FILES) &: $(REPORT) $(AGGREGATES) $(STAGE_FILES) $(REPORT_SETTINGS)
	$(REPORT) --stage "$(STAGE)" --aggregates "$(AGGREGATES)" --output "$(OUTPUT)" --lang "$(LANG_OUT)" $(if $(STRICT),--strict)

# Where does a figure come from? make trace TABLE=by_field ROW=biotech MEASURE=technologies_found [PERIOD=…]
trace: $(TRACE) $(STAGE_FILES)
	@$(TRACE) --stage "$(STAGE)" --table "$(TABLE)" --row "$(ROW)" --measure "$(MEASURE)" --period "$(PERIOD)"

# The stage's accepted returns (binary returns.bin) as CSV: make stage-csv [INPUT=…] > returns.csv. Building
# and ingesting, when needed, report on stderr, so stdout holds only the CSV.
stage-csv:
	@$(MAKE) --no-print-directory $(STAGE_TOOL) $(STAGE)/returns.bin >&2
	@$(STAGE_TOOL) returns --stage "$(STAGE)"

# Speed and memory on synthetic returns (generated once under build/bench/, never committed).
BENCH_SIZES ?= 25 250 1000
bench: $(INGEST)
	bench/run.sh $(BIN) $(BENCH_SIZES)

# The same measures with DuckDB (PyPI) and Miller (Debian), checked against ours: build/bench/peers.md.
bench-peers: bench
	@python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb
	@command -v mlr >/dev/null || { SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; $$SUDO apt-get install -y -qq miller >/dev/null; }
	python3 bench/peers.py $(BENCH_SIZES)

# What the tests read the outputs back with: openpyxl (Debian) for report.xlsx, LibreOffice (with DejaVu,
# which has the Vietnamese letters) and pdftotext to open it as an analyst would, cmark-gfm (GitHub's
# renderer) and pandoc to render report.md as readers see it, frictionless (PyPI, in a
# virtual environment under build/, made once) for tables/datapackage.json. Installed only when missing; a
# test that lacks them fails, it is never skipped.
TEST_PYTHON := build/test-tools/bin/python
test: deps test-packages build/test-tools/.ready
	$(SWIFT) build
	TECHSURVEY_BIN_DIR="$(CURDIR)/.build/debug" TECHSURVEY_TEST_PYTHON="$(CURDIR)/$(TEST_PYTHON)" $(SWIFT) test

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

clean:
	rm -rf build .build
	find "$(OUTPUT)" -mindepth 1 ! -name .gitkeep -exec rm -rf {} + 2>/dev/null || true

# The stage graph, run by scripts/pipeline.sh inside one stage folder. Every target is a file of this
# folder with a name the script generates, so no input or output name ever becomes a make target, and
# make's .DELETE_ON_ERROR can only ever delete stage files, never a published report. The recipes take
# every user-given value from the environment as "$$TS_…": data, never shell code.
#
#   inputs.stamp, tools.stamp, ingest.settings, report-KEY.settings, report-KEY.published
#       rewritten by pipeline.sh only when the input files' fingerprint, the executables, the settings or
#       the published files changed; so these dates say when that happened.

SHELL := /bin/sh
.DELETE_ON_ERROR:
.SUFFIXES:

# The aggregates file of the period, as StageFolder.aggregates names it: aggregates-all.json for all data.
PERIOD_SLUG ?= all
REPORT_KEY ?= none
AGGREGATES := aggregates-$(PERIOD_SLUG).json
STAGE_FILES := returns.bin activities.csv rejects.csv superseded.csv ingest.json

# What pipeline.sh asks for; phony with an empty recipe, so make says nothing when all is up to date.
.PHONY: stages report
stages: $(STAGE_FILES)
	@:
report: report-$(REPORT_KEY).stamp
	@:

$(STAGE_FILES) &: inputs.stamp tools.stamp ingest.settings
	"$$TS_BIN/techsurvey-ingest" --input "$$TS_INPUT" --stage . --cache "$$TS_CACHE" $${TS_ENCODING:+--encoding "$$TS_ENCODING"} $${TS_DELIMITER:+--delimiter "$$TS_DELIMITER"} \
	  $${TS_DECIMAL:+--decimal "$$TS_DECIMAL"} $$TS_STRICT

$(AGGREGATES): returns.bin activities.csv tools.stamp
	"$$TS_BIN/techsurvey-aggregate" --stage . --period "$$TS_PERIOD" --output $@

# The stamp is written only after the report is published; the published files' fingerprint is recorded
# first, so the stamp is the newer of the two until someone changes a published file.
report-$(REPORT_KEY).stamp: $(AGGREGATES) ingest.json rejects.csv superseded.csv tools.stamp \
  report-$(REPORT_KEY).settings report-$(REPORT_KEY).published
	"$$TS_BIN/techsurvey-report" --stage . --aggregates $(AGGREGATES) --cache "$$TS_CACHE" --output "$$TS_OUTPUT" --lang "$$TS_LANG" $$TS_STRICT
	@. "$$TS_ROOT/scripts/fingerprint.sh" && fingerprint output "$$TS_OUTPUT" > report-$(REPORT_KEY).published && : > $@

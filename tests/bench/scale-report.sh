#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The scale bench's table: reads the "SCALE KEY VALUE" lines the guest
# printed (tests/bench/scale.sh), prints a markdown table with goal,
# measured and pass/miss per row, and writes the same as JSON.
#   scale-report.sh RAW JSON [BEFORE_RAW]
# With BEFORE_RAW (an earlier run, e.g. of the module before a change) the
# table gets a column with its figures; the JSON holds RAW's only.
set -euo pipefail
raw=$1 json=$2 before=${3:-/dev/null}

awk -v json="$json" -v with_before="$([ "$before" = /dev/null ] && echo 0 || echo 1)" \
	-f "$(dirname "$0")/scale-report.awk" "$raw" "$before"

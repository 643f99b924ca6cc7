#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Turn the console log of a KUnit guest into one KTAP document for
# kunit.py: printk timestamps off, and a top-level header for the suites
# that a module prints as subtests of the boot's (empty) KTAP run.
set -euo pipefail
sed -n '/GKA-KUNIT-START/,$p' "$1" | sed -E 's/^\[ *[0-9.]+\] //' > "$1.ktap.body"
suites=$(grep -c '^    # Subtest:' "$1.ktap.body" || true)
printf 'KTAP version 1\n1..%s\n' "$suites"
grep -v 'GKA-KUNIT-START' "$1.ktap.body"
rm -f "$1.ktap.body"

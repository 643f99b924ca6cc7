#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the gre-keepalive tool and the test helpers that go into guests,
# warnings as errors (WERROR=1, which their Makefiles leave off by default
# so that a newer compiler cannot fail a package build). -B: every file is
# compiled again, so that objects left by a build without -Werror are
# checked too.
set -euo pipefail
. "$(dirname "$0")/common.sh"
make -s -B -C "$REPO_ROOT/tool" WERROR=1
make -s -B -C "$REPO_ROOT/tests/tools" WERROR=1

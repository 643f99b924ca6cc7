#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the gre-keepalive tool and the test helpers that go into guests.
set -euo pipefail
. "$(dirname "$0")/common.sh"
make -s -C "$REPO_ROOT/tool"
make -s -C "$REPO_ROOT/tests/tools"

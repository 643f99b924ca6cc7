#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's failover recipes are the files the tests load: each block
#
#   <!-- recipe: tests/integration/routers/FILE -->
#   ```
#   ...the file, byte for byte...
#   ```
#   <!-- /recipe -->
#
# must hold exactly FILE (relative to the repository), so that what a
# reader copies is what a test ran. Fails, saying where, on a block that
# differs, names a missing file, lacks its fences or is never closed, and
# when the README has no recipe at all (the markers were lost).
#
#   check-recipes.sh [README]
set -uo pipefail
. "$(dirname "$0")/common.sh"

readme=${1:-$REPO_ROOT/README.md}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# Each block's body (fences removed) to $tmp/N, its file name and README
# line to $tmp/list; malformed blocks are reported and counted by awk.
awk -v dir="$tmp" '
function fail(msg) { printf "%s:%d: %s\n", FILENAME, start, msg; bad++ }
/^<!-- recipe: .* -->$/ {
	if (file != "") { fail("recipe " file " not closed"); }
	file = $0
	sub(/^<!-- recipe: /, "", file)
	sub(/ -->$/, "", file)
	start = FNR
	n++
	body = dir "/" n
	printf "" > body
	state = "open"
	next
}
/^<!-- \/recipe -->$/ {
	if (file == "") { start = FNR; fail("<!-- /recipe --> without a recipe"); next }
	if (state != "closed") fail("recipe " file ": no closing ``` before <!-- /recipe -->")
	else printf "%s %d %s\n", n, start, file > (dir "/list")
	close(body)
	file = ""
	next
}
file != "" && state == "open" {
	if ($0 !~ /^```/) { fail("recipe " file ": the block must start with ```"); state = "bad"; next }
	state = "in"
	next
}
file != "" && state == "in" {
	if ($0 == "```") { state = "closed"; next }
	print > body
	next
}
file != "" && state == "closed" && $0 != "" {
	fail("recipe " file ": text after the closing ```")
	state = "bad"
}
END {
	if (file != "") fail("recipe " file " not closed")
	exit bad > 0
}' "$readme"
st=$?

[ -s "$tmp/list" ] || { echo "$readme: no <!-- recipe: FILE --> block" >&2; exit 1; }

while read -r n line file; do
	if [ ! -f "$REPO_ROOT/$file" ]; then
		echo "$readme:$line: recipe $file: no such file"
		st=1
	elif ! diff -u --label "$file" --label "README.md:$line" \
		"$REPO_ROOT/$file" "$tmp/$n"; then
		echo "$readme:$line: recipe $file differs from the file (diff above)"
		st=1
	fi
done < "$tmp/list"
[ $st = 0 ] && echo "$(wc -l < "$tmp/list") recipes in $(basename "$readme") are their files"
exit $st

#!/bin/bash
# The manual pages render cleanly: every man/*.1, *.3 and *.5 through
# `groff -man -t -Tutf8 -ww` (all warnings on) and through `man -l` (as a
# user reads it, with groff's warnings on), with no message at all on
# stderr; the .TH line names the file; lexgrog (what mandb and apropos
# use) finds the NAME section; every sysfence page a SEE ALSO names exists.
# The four pages of issue 6 and libsysfence(3) must be there.
. "$(dirname "$0")/../lib.sh"
MAN=$SF_ROOT/man

if ! command -v groff >/dev/null; then
	skip "no groff (groff-base)"
	exit 0
fi
export LC_ALL=C.UTF-8 MANWIDTH=80 MANPAGER=cat PAGER=cat

pages=()
for f in "$MAN"/*.1 "$MAN"/*.3 "$MAN"/*.5; do [ -f "$f" ] && pages+=("$f"); done
for want in sysfence-compile.1 sysfence-launch.1 sysfence-policy.5 sysfence-blob.5 libsysfence.3; do
	if [ -f "$MAN/$want" ]; then ok "man/$want exists"; else not_ok "man/$want is missing"; fi
done

# quiet DESCRIPTION CMD...: CMD succeeds, prints something, and nothing on stderr.
quiet() {
	local desc=$1 rc
	shift
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$T/err" ] && [ -s "$T/out" ]; then
		ok "$desc"
	else
		not_ok "$desc (exit $rc)"
		show "$T/err"
	fi
}

for f in "${pages[@]}"; do
	page=$(basename "$f")
	name=${page%.*}
	sec=${page##*.}
	quiet "$page: groff -man -t -Tutf8 -ww, no warning" groff -man -t -Tutf8 -ww "$f"
	sed 's/.\x08//g' "$T/out" >"$T/$page.txt" # plain text: no overstriking
	if grep -q '^NAME' "$T/$page.txt" && grep -Eq "^ *$name( +- |, )" "$T/$page.txt"; then
		ok "$page: has a NAME section naming $name"
	else
		not_ok "$page: NAME section"
	fi
	if command -v man >/dev/null; then
		quiet "$page: man -l --warnings=w, no warning" man --warnings=w -l "$f"
	else
		skip "$page: no man(1) (man-db)"
	fi
	th=$(sed -n 's/^\.TH  *"\{0,1\}\([^" ]*\)"\{0,1\}  *"\{0,1\}\([0-9a-z]*\).*/\1 \2/p' "$f" | head -1)
	upper=$(tr '[:lower:]' '[:upper:]' <<<"$name")
	if [ "$th" = "$upper $sec" ] || [ "$th" = "$name $sec" ]; then
		ok "$page: .TH says $th"
	else
		not_ok "$page: .TH says '$th', wanted '$upper $sec'"
	fi
	if command -v lexgrog >/dev/null; then
		quiet "$page: lexgrog parses the NAME section" lexgrog "$f"
	else
		skip "$page: no lexgrog (man-db)"
	fi
	# Every sysfence page it names, as NAME(N) in the rendered text, exists.
	missing=""
	for ref in $(grep -oE '(lib)?sysfence-?[a-z]*\([1-8]\)' "$T/$page.txt" | sed -E 's/\(([1-8])\)/.\1/' | sort -u); do
		[ -f "$MAN/$ref" ] || missing="$missing $ref"
	done
	if [ -z "$missing" ]; then ok "$page: every sysfence page it names exists"; else not_ok "$page: names missing pages:$missing"; fi
done

# The checks catch a bad page: a warning from groff -ww fails them.
printf '.TH BROKEN 1\n.SH NAME\nbroken \\- a page\n.SH DESCRIPTION\n.BOGUS macro\n\\fBunclosed\n' >"$T/broken.1"
if groff -man -t -Tutf8 -ww "$T/broken.1" 2>&1 >/dev/null | grep -q .; then
	ok "self-check: groff -ww reports a broken page"
else
	not_ok "self-check: groff -ww says nothing about a broken page"
fi

#!/bin/bash
# The build honours a distribution's flags and keeps its own (Makefile,
# "Hardening and warnings"), in builds of their own outside the tree's:
#   - dpkg-buildflags exported (hardening=+all, as debian/rules does):
#     the launcher and libsysfence build with -Werror, no "redefined"
#     error; their flags come first, then ours (-Iinclude, the defines,
#     the warnings, -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3);
#   - `make CFLAGS=...` and `make CPPFLAGS=...` on the command line: the
#     include path, defines, warnings and the store's define survive;
#   - CFLAGS=-O0: no _FORTIFY_SOURCE (glibc would warn, an error under
#     -Werror), and it builds;
#   - WERROR=0 drops -Werror and nothing else; the default has it;
#   - the control: ours after theirs without the -U is the error the
#     first Debian build stopped at.
. "$(dirname "$0")/../lib.sh"

if ! command -v dpkg-buildflags >/dev/null; then
	skip "no dpkg-buildflags (dpkg-dev)"
	exit 0
fi
# A make of our own: no state of a `make check` above us, no flags but
# those each case gives.
MAKE_ENV=(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL)
MAKE_CMD=(make --no-print-directory -C "$SF_ROOT" SANITIZE=0)
MK=("${MAKE_ENV[@]}" -u CFLAGS -u CPPFLAGS -u LDFLAGS "${MAKE_CMD[@]}")
TARGETS=(sysfence-launch libsysfence.so)

# build NAME MAKE-ARGS...: builds TARGETS in $T/NAME; the log in $T/NAME.log.
build() {
	local name=$1
	shift
	"${MK[@]}" BUILD="$T/$name" "$@" "${TARGETS[@]/#/$T/$name/}" >"$T/$name.log" 2>&1
}

# compile_line NAME FILE: the command that compiled src/FILE.
compile_line() { grep -E -- "-c -o [^ ]*/obj/src/$2\.o " "$T/$1.log" | head -1; }

# in_order LINE WORD...: every WORD is in LINE, in this order.
in_order() {
	local line=$1 w rest
	shift
	rest=" $line "
	for w in "$@"; do
		case $rest in
		*" $w "*) rest=" ${rest#*" $w "}" ;;
		*) return 1 ;;
		esac
	done
}

# --- dpkg-buildflags in the environment ------------------------------------------
eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"
if "${MAKE_ENV[@]}" CFLAGS="$CFLAGS" CPPFLAGS="$CPPFLAGS" LDFLAGS="$LDFLAGS" "${MAKE_CMD[@]}" \
	BUILD="$T/deb" "${TARGETS[@]/#/$T/deb/}" >"$T/deb.log" 2>&1; then
	ok "dpkg-buildflags exported: the launcher and libsysfence build"
else
	not_ok "dpkg-buildflags exported: the build fails"
	grep -E 'error|warning' "$T/deb.log" | head -5 | sed 's/^/    | /'
fi
expect_no_grep "$T/deb.log" 'redefined' "dpkg-buildflags: no redefinition"
line=$(compile_line deb common/blob)
# shellcheck disable=SC2086 # their flags, word by word
if in_order "$line" -Iinclude $CPPFLAGS -D_GNU_SOURCE -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 \
	$CFLAGS -std=gnu11 -Wall -Wextra -Werror; then
	ok "dpkg-buildflags: -Iinclude, their CPPFLAGS, our defines, their CFLAGS, our warnings"
else
	not_ok "dpkg-buildflags: the compile line is out of order: $line"
fi
expect_grep "$T/deb.log" "\-o $T/deb/sysfence-launch .*" "dpkg-buildflags: the launcher was linked"
if grep -E -- "-o $T/deb/sysfence-launch " "$T/deb.log" | grep -q -- "$LDFLAGS"; then
	ok "dpkg-buildflags: their LDFLAGS reach the link"
else
	not_ok "dpkg-buildflags: their LDFLAGS are not in the launcher's link"
fi
unset CFLAGS CPPFLAGS LDFLAGS

# --- the command line ---------------------------------------------------------------
if build cmdline CFLAGS='-O1 -g' CPPFLAGS='-DSF_TEST_FLAG=1' LDFLAGS='-Wl,-O1'; then
	ok "make CFLAGS=... CPPFLAGS=... LDFLAGS=...: builds"
else
	not_ok "make CFLAGS=... CPPFLAGS=... LDFLAGS=...: the build fails"
	show "$T/cmdline.log"
fi
line=$(compile_line cmdline launch/trust)
if in_order "$line" -Iinclude -DSF_TEST_FLAG=1 -D_GNU_SOURCE -D_FORTIFY_SOURCE=3 \
	"-DSYSFENCE_PROFILE_DIR='\"/var/lib/sysfence/profiles\"'" -O1 -g -std=gnu11 -Werror; then
	ok "make CFLAGS=...: the include path, defines, warnings and the store survive"
else
	not_ok "make CFLAGS=...: something of ours was dropped: $line"
fi

if "${MK[@]}" BUILD="$T/o0" CFLAGS='-O0 -g' "$T/o0/obj/src/common/util.o" >"$T/o0.log" 2>&1; then
	ok "make CFLAGS='-O0 -g': builds"
else
	not_ok "make CFLAGS='-O0 -g': fails"
	show "$T/o0.log"
fi
expect_no_grep "$T/o0.log" '-D_FORTIFY_SOURCE=' "-O0: no _FORTIFY_SOURCE (it needs optimisation)"

# --- WERROR --------------------------------------------------------------------------
"${MK[@]}" -n BUILD="$T/n1" all >"$T/n1.log" 2>&1
"${MK[@]}" -n BUILD="$T/n0" WERROR=0 all >"$T/n0.log" 2>&1
expect_grep "$T/n1.log" ' -Werror ' "the default build has -Werror"
expect_no_grep "$T/n0.log" ' -Werror ' "WERROR=0: no -Werror"
if [ "$(grep -c -- ' -Wall -Wextra -Wformat=2 ' "$T/n0.log")" -gt 10 ]; then
	ok "WERROR=0: the warnings themselves stay"
else
	not_ok "WERROR=0: the warnings are gone too"
fi

# --- the control: the error this guards against ---------------------------------------
printf 'int main(void) { return 0; }\n' >"$T/x.c"
if ${CC:-cc} -O2 -Werror -D_FORTIFY_SOURCE=2 -D_FORTIFY_SOURCE=3 -c -o "$T/x.o" "$T/x.c" 2>"$T/err"; then
	not_ok "control: a second -D_FORTIFY_SOURCE is not an error here; the test proves nothing"
else
	ok "control: -D_FORTIFY_SOURCE=2 then =3 under -Werror fails ($(grep -o 'redefined.*' "$T/err" | head -1))"
fi

#!/bin/bash
# libsysfence as another program embeds it: `make install` into a DESTDIR
# (PREFIX=/usr, a multiarch LIBDIR, as a Debian build does), then
# examples/embed, as installed, built with `pkg-config --cflags --libs
# sysfence` from that DESTDIR and run with the installed library:
#   - the ABI: soname libsysfence.so.0, the four public functions and
#     nothing else exported (nm -D), the header alone compiles as C99 and
#     C++, the program needs libsysfence.so.0 and none of the build tree;
#   - a good profile confines the program, as nobody: a call the policy
#     does not allow fails with EPERM and reaches the audit log
#     (FLAG_LOG), an explicit denial EACCES, no_new_privs is set;
#   - bad profiles (truncated, flipped byte, forged with a valid digest,
#     another architecture, empty, not readable): 125, one line, the
#     program never ran;
#   - emulated kernels (sf-oldkernel): no seccomp(2) loads with prctl and
#     still confines; no SECCOMP_RET_LOG runs a complain profile; a parent
#     filter that fakes seccomp() is caught (125).
# The library's finer contract (what the kernel holds after each error) is
# tests/unit/test_libsysfence.c.
. "$(dirname "$0")/../lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	skip "libsysfence: needs root (runs the program as nobody, reads dmesg)"
	exit 0
fi
for tool in pkg-config nm readelf; do
	if ! command -v "$tool" >/dev/null; then
		not_ok "libsysfence: $tool is missing"
		exit 1
	fi
done

REL_BUILD=${BUILD#"$SF_ROOT"/}
MK=(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -C "$SF_ROOT"
	BUILD="$REL_BUILD" SANITIZE="${SANITIZE:-0}")
MULTIARCH=$(${CC:-cc} -print-multiarch 2>/dev/null)
LIBDIR=/usr/lib${MULTIARCH:+/$MULTIARCH}
DEST=$T/dest
chmod 0755 "$T"

# --- install, pkg-config, build -------------------------------------------------
if "${MK[@]}" install DESTDIR="$DEST" PREFIX=/usr LIBDIR="$LIBDIR" NO_SETUID=1 >"$T/out" 2>&1; then
	ok "make install DESTDIR=... PREFIX=/usr LIBDIR=$LIBDIR"
else
	not_ok "make install DESTDIR=... PREFIX=/usr LIBDIR=$LIBDIR"
	show "$T/out"
	exit 1
fi
export PKG_CONFIG_LIBDIR=$DEST$LIBDIR/pkgconfig PKG_CONFIG_SYSROOT_DIR=$DEST
PC_FLAGS=$(pkg-config --cflags --libs sysfence 2>"$T/err")
# shellcheck disable=SC2086 # word splitting drops pkg-config's trailing blank
if [ "$(echo $PC_FLAGS)" = "-I$DEST/usr/include -L$DEST$LIBDIR -lsysfence" ]; then
	ok "pkg-config --cflags --libs sysfence: the DESTDIR's header and library"
else
	not_ok "pkg-config --cflags --libs sysfence said '$PC_FLAGS'"
	show "$T/err"
fi
version=$("$SF_COMPILE" --version | sed -n '1s/^sysfence-compile \([^ ]*\).*/\1/p')
if [ "$(pkg-config --modversion sysfence)" = "$version" ]; then
	ok "pkg-config --modversion sysfence is $version"
else
	not_ok "pkg-config --modversion sysfence is '$(pkg-config --modversion sysfence)', not '$version'"
fi

# The example as installed, built in a folder of its own.
cp -r "$DEST/usr/share/doc/sysfence/examples/embed" "$T/embed"
EXTRA=()
if [ "${SANITIZE:-0}" = 1 ]; then
	# The installed library is instrumented: its program brings the runtime.
	EXTRA=(CFLAGS="-O1 -g -fsanitize=address,undefined" LDFLAGS="-fsanitize=address,undefined")
fi
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$T/embed" "${EXTRA[@]}" >"$T/out" 2>&1; then
	ok "examples/embed builds with pkg-config against the DESTDIR install"
else
	not_ok "examples/embed builds with pkg-config against the DESTDIR install"
	show "$T/out"
	exit 1
fi
EMBED=$T/embed/embed
expect_grep "$T/out" "pkg-config --cflags sysfence" "its Makefile asks pkg-config for the flags"
readelf -d "$EMBED" >"$T/dyn"
expect_grep "$T/dyn" 'NEEDED.*\[libsysfence\.so\.0\]' "embed needs libsysfence.so.0"
expect_no_grep "$T/dyn" "RPATH|RUNPATH" "embed has no rpath into a build tree"

# --- the ABI ---------------------------------------------------------------------
SO=$DEST$LIBDIR/libsysfence.so
if [ "$(readlink "$SO")" = libsysfence.so.0 ] && [ -f "$DEST$LIBDIR/libsysfence.so.$version" ] &&
	[ "$(readlink "$DEST$LIBDIR/libsysfence.so.0")" = "libsysfence.so.$version" ]; then
	ok "libsysfence.so -> libsysfence.so.0 -> libsysfence.so.$version"
else
	not_ok "the library's links: $(ls -l "$DEST$LIBDIR" | tr '\n' ' ')"
fi
readelf -d "$SO" >"$T/dyn"
expect_grep "$T/dyn" 'SONAME.*\[libsysfence\.so\.0\]' "soname libsysfence.so.0"
expect_no_grep "$T/dyn" 'NEEDED.*libseccomp|NEEDED.*libcap' "the library links neither libseccomp nor libcap"
nm -D --defined-only "$SO" | awk '{ print $NF }' | sort >"$T/symbols"
printf '%s\n' SYSFENCE_0 sysfence_load_buffer@@SYSFENCE_0 sysfence_load_fd@@SYSFENCE_0 \
	sysfence_strerror@@SYSFENCE_0 sysfence_version@@SYSFENCE_0 >"$T/want"
if diff "$T/want" "$T/symbols" >"$T/diff"; then
	ok "nm -D: exactly the four public functions, version SYSFENCE_0"
else
	not_ok "nm -D shows other symbols"
	show "$T/diff"
fi
printf '#include <sysfence.h>\nint main(void) { return sysfence_load_fd(-1, 0, 0, 0) != SYSFENCE_ERR_READ; }\n' >"$T/h.c"
expect_exit 0 "the installed header alone compiles as C99, -Wall -Wextra -Werror -pedantic" \
	${CC:-cc} -std=c99 -Wall -Wextra -Werror -pedantic -fsyntax-only -I"$DEST/usr/include" "$T/h.c"
if command -v c++ >/dev/null; then
	expect_exit 0 "the installed header compiles as C++" \
		c++ -Wall -Wextra -Werror -fsyntax-only -x c++ -I"$DEST/usr/include" "$T/h.c"
else
	skip "no C++ compiler"
fi

# --- confining a program ---------------------------------------------------------
SANITIZER_RULES=()
if [ "${SANITIZE:-0}" = 1 ]; then
	# What the instrumented sf-try's sanitizer runtime needs (as launch_setup.sh).
	SANITIZER_RULES=(madvise sigaltstack gettid faccessat2 sched_getaffinity prctl clock_gettime)
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
fi
# policy NAME [RULE...]: $T/NAME.bin from the base policy plus rules (no getppid).
policy() {
	local name=$1
	shift
	{ base_policy; printf '%s\n' getpid "${SANITIZER_RULES[@]}" "$@"; } >"$T/$name.policy"
	"$SF_COMPILE" -q "$T/$name.policy" "$T/$name.bin" || not_ok "$name.policy does not compile"
	chmod 0644 "$T/$name.bin"
}
policy enforce '~uname'
policy complain '@complain'
cp "$SF_HELPERS/sf-try" "$T/sf-try"
chmod 0755 "$T/sf-try"
TRY=$T/sf-try
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- env LD_LIBRARY_PATH="$DEST$LIBDIR" "$@"; }

expect_exit 0 "control: getppid works unconfined" as_nobody "$TRY" syscall getppid
printk_ratelimit_off
expect_exit 1 "embed: a call the policy does not allow fails with EPERM (as nobody)" \
	as_nobody "$EMBED" "$T/enforce.bin" -- "$TRY" pid syscall getppid
expect_grep "$T/out" '^getppid=errno:1$' "embed: getppid said EPERM"
pid=$(sed -n 's/^pid=\([0-9]*\)$/\1/p' "$T/out")
found=no
for _ in $(seq 20); do
	if dmesg | grep -Eq "type=1326.* pid=$pid .* syscall=110 .*code=0x50000"; then
		found=yes
		break
	fi
	sleep 0.1
done
if [ "$found" = yes ]; then
	ok "embed: the denial reached the audit log (FLAG_LOG, the kernel's best flags)"
elif [ "$(uname -m)" != x86_64 ]; then
	skip "the audit check reads x86_64 syscall numbers"
else
	not_ok "embed: no audit record of pid $pid's getppid denial"
fi
printk_ratelimit_off
expect_exit 13 "embed: an explicit denial fails with EACCES" \
	as_nobody "$EMBED" "$T/enforce.bin" -- "$TRY" syscall uname
expect_exit 0 "embed: the program runs confined with no_new_privs" \
	as_nobody "$EMBED" "$T/enforce.bin" -- "$TRY" status
expect_grep "$T/out" '^NoNewPrivs:[[:space:]]+1$' "embed: NoNewPrivs 1"
expect_grep "$T/out" '^Seccomp:[[:space:]]+2$' "embed: Seccomp 2 (filter mode)"
expect_exit 0 "embed: complain mode allows the call" \
	as_nobody "$EMBED" "$T/complain.bin" -- "$TRY" syscall getppid
expect_exit 127 "embed: a missing program is 127" \
	as_nobody "$EMBED" "$T/enforce.bin" -- /nonexistent/program

# --- bad profiles: 125, one line, the program never ran -------------------------
# refused NAME BLOB [WORD]: embed refuses BLOB; the message names WORD.
refused() {
	local name=$1 blob=$2 word=${3:-}
	rm -f "$T/ran"
	as_nobody "$EMBED" "$blob" -- "$TRY" touch "$T/ran" >"$T/out" 2>"$T/err"
	local rc=$?
	if [ "$rc" -eq 125 ] && [ ! -e "$T/ran" ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
		{ [ -z "$word" ] || grep -q -- "$word" "$T/err"; }; then
		ok "refused, never ran: $name ($(cat "$T/err"))"
	else
		not_ok "refused, never ran: $name (exit $rc, ran: $([ -e "$T/ran" ] && echo yes || echo no))"
		show "$T/err"
	fi
}
size=$(stat -c %s "$T/enforce.bin")
head -c $((size - 1)) "$T/enforce.bin" >"$T/truncated.bin"
refused "truncated" "$T/truncated.bin" truncated
cp "$T/enforce.bin" "$T/flipped.bin"
printf '\x55' | dd of="$T/flipped.bin" bs=1 seek=$((size - 3)) conv=notrunc status=none
refused "a flipped byte" "$T/flipped.bin" digest
: >"$T/empty.bin"
refused "empty" "$T/empty.bin"
"$SF_HELPERS/sf-forge" errno0 "$T/enforce.bin" "$T/errno0.bin" >/dev/null 2>&1
refused "forged ERRNO(0) with a valid digest" "$T/errno0.bin"
"$SF_HELPERS/sf-forge" badjump "$T/enforce.bin" "$T/badjump.bin" >/dev/null 2>&1
refused "forged jump out of range with a valid digest" "$T/badjump.bin"
"$SF_COMPILE" -q --arch aarch64 "$T/enforce.policy" "$T/aarch64.bin"
chmod 0644 "$T/aarch64.bin" "$T"/*.bin
refused "another architecture only" "$T/aarch64.bin" architecture
cp "$T/enforce.bin" "$T/secret.bin"
chmod 0600 "$T/secret.bin"
refused "a profile nobody cannot read" "$T/secret.bin" "Permission denied"

# --- emulated kernels --------------------------------------------------------------
OLD=$SF_HELPERS/sf-oldkernel
old() {
	local f=$1
	shift
	"$OLD" --user 65534:65534 "$f" -- /usr/bin/env LD_LIBRARY_PATH="$DEST$LIBDIR" "$@"
}
expect_exit 1 "no seccomp(2): loaded with prctl, getppid still EPERM" \
	old nosys "$EMBED" "$T/enforce.bin" -- "$TRY" syscall getppid
expect_exit 0 "no SECCOMP_RET_LOG: the complain profile loads (LOG as ALLOW) and runs" \
	old noactions "$EMBED" "$T/complain.bin" -- "$TRY" syscall getppid
rm -f "$T/ran"
expect_exit 125 "a parent filter faking seccomp(): refused" \
	old fakeseccomp "$EMBED" "$T/enforce.bin" -- "$TRY" touch "$T/ran"
expect_grep "$T/err" "fakes seccomp" "the fake is named"
if [ -e "$T/ran" ]; then not_ok "under the faking filter the program ran"; else ok "under the faking filter the program never ran"; fi

# --- uninstall ---------------------------------------------------------------------
"${MK[@]}" uninstall DESTDIR="$DEST" PREFIX=/usr LIBDIR="$LIBDIR" >"$T/out" 2>&1
if [ -z "$(find "$DEST" -type f -o -type l)" ]; then
	ok "make uninstall removed the library, header, .pc, docs and example"
else
	not_ok "make uninstall left files"
	find "$DEST" -type f -o -type l | sed 's/^/    | /'
fi

#!/bin/bash
# `make install` and `make uninstall` into a temporary DESTDIR:
#   - as root, PREFIX=/usr: every path, owner and mode (sysfence-compile
#     0755, sysfence-launch 04755 root:root, man pages, examples, the
#     library of shipped policies (share/sysfence/include), bash
#     completions, the documentation (README, LICENSE, docs/*.md and
#     examples/embed in share/doc/sysfence), libsysfence (the library
#     0644 with its soname and development links, sysfence.h, sysfence.pc
#     naming the installed folders) 0644, the store root-owned 0755), each
#     file identical to its source, nothing else installed; the installed launcher trusts the
#     store that was created; the installed compiler looks for bare
#     @include names in the library that was installed, and the installed
#     examples compile against it; `make uninstall` removes every file (and the
#     empty store) but keeps a store holding profiles, and says so;
#   - as root, a custom BINDIR/MANDIR/DATADIR/DOCDIR/LIBDIR/INCLUDEDIR layout;
#   - NO_SETUID=1, as root and as an unprivileged packaging user (nobody):
#     the launcher 0755 and a printed note.
. "$(dirname "$0")/../lib.sh"

# The build under test (build or build/san), relative to the tree, and no
# make state inherited from a `make check` above us (jobserver, variables).
REL_BUILD=${BUILD#"$SF_ROOT"/}
MK=(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -C "$SF_ROOT"
	BUILD="$REL_BUILD" SANITIZE="${SANITIZE:-0}")
STORE_PATH=/var/lib/sysfence/profiles # the Makefile's default PROFILE_DIR

if [ ! -x "$SF_COMPILE" ] || [ ! -x "$SF_LAUNCH" ]; then
	not_ok "no build to install ($SF_COMPILE, $SF_LAUNCH)"
	exit 1
fi

# check_path DESCRIPTION PATH TYPE MODE OWNER [SOURCE]: TYPE f or d, MODE
# octal as stat %a prints it, OWNER user:group; a file must equal SOURCE.
check_path() {
	local desc=$1 p=$2 type=$3 mode=$4 owner=$5 src=${6:-} got
	if [ "$type" = f ] && [ ! -f "$p" ] || [ "$type" = d ] && [ ! -d "$p" ] || [ -L "$p" ]; then
		not_ok "$desc: ${p#"$DEST"} missing or not a $([ "$type" = f ] && echo file || echo folder)"
		return
	fi
	got=$(stat -c '%a %U:%G' "$p")
	if [ "$got" != "$mode $owner" ]; then
		not_ok "$desc: ${p#"$DEST"} is $got, wanted $mode $owner"
	elif [ -n "$src" ] && ! cmp -s "$p" "$src"; then
		not_ok "$desc: ${p#"$DEST"} differs from $src"
	else
		ok "$desc: ${p#"$DEST"} $mode $owner"
	fi
}

VERSION=$("$SF_COMPILE" --version | sed -n '1s/^sysfence-compile \([^ ]*\).*/\1/p')
DOCS=("$SF_ROOT/README.md" "$SF_ROOT/LICENSE" "$SF_ROOT"/docs/*.md)

# The folders of a layout: BINDIR MANDIR DATADIR DOCDIR LIBDIR INCLUDEDIR.
layout() { read -r bindir mandir datadir docdir libdir includedir <<<"$*"; }

# expected_files: every file make install should create in the layout
# (sorted, relative to DESTDIR).
expected_files() {
	local f
	{
		echo "$bindir/sysfence-compile"
		echo "$bindir/sysfence-launch"
		for f in "$SF_ROOT"/man/*.1; do echo "$mandir/man1/$(basename "$f")"; done
		for f in "$SF_ROOT"/man/*.3; do echo "$mandir/man3/$(basename "$f")"; done
		for f in "$SF_ROOT"/man/*.5; do echo "$mandir/man5/$(basename "$f")"; done
		for f in "${DOCS[@]}"; do echo "$docdir/$(basename "$f")"; done
		echo "$docdir/examples/embed/embed.c"
		echo "$docdir/examples/embed/Makefile"
		echo "$libdir/libsysfence.so.$VERSION"
		echo "$libdir/libsysfence.so.0"
		echo "$libdir/libsysfence.so"
		echo "$libdir/pkgconfig/sysfence.pc"
		echo "$includedir/sysfence.h"
		for f in "$SF_ROOT"/examples/*.policy; do echo "$datadir/sysfence/examples/$(basename "$f")"; done
		for f in "$SF_ROOT"/share/include/*.policy; do echo "$datadir/sysfence/include/$(basename "$f")"; done
		echo "$datadir/bash-completion/completions/sysfence-compile"
		echo "$datadir/bash-completion/completions/sysfence-launch"
	} | sort
}

# check_link DESCRIPTION PATH TARGET: PATH is a symlink to TARGET.
check_link() {
	if [ -L "$2" ] && [ "$(readlink "$2")" = "$3" ]; then
		ok "$1: ${2#"$DEST"} -> $3"
	else
		not_ok "$1: ${2#"$DEST"} is not a link to $3"
	fi
}

# check_tree NAME OWNER SETUID: the tree installed in $DEST in the current
# layout; OWNER of every file, SETUID yes/no for the launcher.
check_tree() {
	local name=$1 owner=$2 setuid=$3 f
	check_path "$name" "$DEST$bindir/sysfence-compile" f 755 "$owner" "$SF_COMPILE"
	if [ "$setuid" = yes ]; then
		check_path "$name" "$DEST$bindir/sysfence-launch" f 4755 root:root "$SF_LAUNCH"
	else
		check_path "$name" "$DEST$bindir/sysfence-launch" f 755 "$owner" "$SF_LAUNCH"
	fi
	for f in "$SF_ROOT"/man/*.1; do
		check_path "$name" "$DEST$mandir/man1/$(basename "$f")" f 644 "$owner" "$f"
	done
	for f in "$SF_ROOT"/man/*.3; do
		check_path "$name" "$DEST$mandir/man3/$(basename "$f")" f 644 "$owner" "$f"
	done
	for f in "$SF_ROOT"/man/*.5; do
		check_path "$name" "$DEST$mandir/man5/$(basename "$f")" f 644 "$owner" "$f"
	done
	for f in "${DOCS[@]}"; do
		check_path "$name" "$DEST$docdir/$(basename "$f")" f 644 "$owner" "$f"
	done
	for f in embed.c Makefile; do
		check_path "$name" "$DEST$docdir/examples/embed/$f" f 644 "$owner" \
			"$SF_ROOT/examples/embed/$f"
	done
	check_path "$name" "$DEST$libdir/libsysfence.so.$VERSION" f 644 "$owner" \
		"$BUILD/libsysfence.so.$VERSION"
	check_link "$name" "$DEST$libdir/libsysfence.so.0" "libsysfence.so.$VERSION"
	check_link "$name" "$DEST$libdir/libsysfence.so" libsysfence.so.0
	check_path "$name" "$DEST$includedir/sysfence.h" f 644 "$owner" "$SF_ROOT/include/sysfence.h"
	check_path "$name" "$DEST$libdir/pkgconfig/sysfence.pc" f 644 "$owner"
	if grep -qx "libdir=$libdir" "$DEST$libdir/pkgconfig/sysfence.pc" &&
		grep -qx "includedir=$includedir" "$DEST$libdir/pkgconfig/sysfence.pc" &&
		grep -qx "Version: $VERSION" "$DEST$libdir/pkgconfig/sysfence.pc"; then
		ok "$name: sysfence.pc names $libdir, $includedir and $VERSION"
	else
		not_ok "$name: sysfence.pc does not name the installed folders"
		show "$DEST$libdir/pkgconfig/sysfence.pc"
	fi
	for f in "$SF_ROOT"/examples/*.policy; do
		check_path "$name" "$DEST$datadir/sysfence/examples/$(basename "$f")" f 644 "$owner" "$f"
	done
	for f in "$SF_ROOT"/share/include/*.policy; do
		check_path "$name" "$DEST$datadir/sysfence/include/$(basename "$f")" f 644 "$owner" "$f"
	done
	for f in sysfence-compile sysfence-launch; do
		check_path "$name" "$DEST$datadir/bash-completion/completions/$f" f 644 "$owner" \
			"$SF_ROOT/completion/sysfence.bash"
	done
	check_path "$name" "$DEST$STORE_PATH" d 755 "$owner"
	(cd "$DEST" && find . -type f -o -type l | sed 's|^\.||' | sort) >"$T/installed"
	expected_files >"$T/expected"
	if diff "$T/expected" "$T/installed" >"$T/diff"; then
		ok "$name: exactly the expected $(wc -l <"$T/expected") files, nothing else"
	else
		not_ok "$name: installed files differ from the expected list"
		show "$T/diff"
	fi
	if [ -n "$(find "$DEST" -perm -0002 ! -type l)" ]; then
		not_ok "$name: something is world-writable"
	else
		ok "$name: nothing is world-writable"
	fi
}

# check_uninstall NAME MAKE-ARGS...: `make uninstall` leaves no file.
check_uninstall() {
	local name=$1
	shift
	if "${MK[@]}" uninstall "$@" >"$T/out" 2>&1; then ok "$name: make uninstall"; else not_ok "$name: make uninstall"; show "$T/out"; fi
	if [ -z "$(find "$DEST" -type f -o -type l)" ]; then
		ok "$name: make uninstall removed every file"
	else
		not_ok "$name: files left after make uninstall"
		find "$DEST" -type f -o -type l | sed 's/^/    | /'
	fi
	if [ -e "$DEST$STORE_PATH" ]; then not_ok "$name: the empty store was left"; else ok "$name: the empty store was removed"; fi
}

if [ "$(id -u)" -eq 0 ]; then
	# --- as root, PREFIX=/usr -----------------------------------------------------
	DEST=$T/root
	if "${MK[@]}" install DESTDIR="$DEST" PREFIX=/usr >"$T/out" 2>&1; then
		ok "root: make install DESTDIR=... PREFIX=/usr"
	else
		not_ok "root: make install DESTDIR=... PREFIX=/usr"
		show "$T/out"
	fi
	layout /usr/bin /usr/share/man /usr/share /usr/share/doc/sysfence /usr/lib /usr/include
	check_tree root root:root yes
	expect_exit 0 "root: the installed compiler runs" "$DEST/usr/bin/sysfence-compile" --version
	expect_exit 0 "root: the installed launcher runs" "$DEST/usr/bin/sysfence-launch" --features
	expect_grep "$T/out" "^profile_dir=$STORE_PATH\$" "root: the launcher trusts the store make install created"
	# The compiler was built for this PREFIX: its library is where make
	# install put it (found through DESTDIR here, by its compiled-in path
	# once the package is installed).
	expect_exit 0 "root: the installed compiler's --help" env -u SYSFENCE_INCLUDE_DIR \
		"$DEST/usr/bin/sysfence-compile" --help
	expect_grep "$T/out" '\$SYSFENCE_INCLUDE_DIR, else /usr/share/sysfence/include\)$' \
		"root: its library is /usr/share/sysfence/include, where make install put it"
	for f in "$DEST"/usr/share/sysfence/examples/*.policy; do
		expect_exit 0 "root: the installed $(basename "$f") compiles against the installed library" \
			env -u SYSFENCE_INCLUDE_DIR "$DEST/usr/bin/sysfence-compile" --strict \
			--include-dir "$DEST/usr/share/sysfence/include" --check "$f"
	done

	# A store holding profiles is kept, and the note says so.
	cp "$SF_ROOT/tests/fuzz/corpus/fuzz_blob/complain.bin" "$DEST$STORE_PATH/app.bin" 2>/dev/null ||
		: >"$DEST$STORE_PATH/app.bin"
	"${MK[@]}" uninstall DESTDIR="$DEST" PREFIX=/usr >"$T/out" 2>&1
	if [ -f "$DEST$STORE_PATH/app.bin" ] && grep -q "were kept" "$T/out"; then
		ok "root: make uninstall keeps the profiles in the store and says so"
	else
		not_ok "root: make uninstall keeps the profiles in the store and says so"
		show "$T/out"
	fi
	rm -f "$DEST$STORE_PATH/app.bin"
	"${MK[@]}" install DESTDIR="$DEST" PREFIX=/usr >/dev/null 2>&1
	check_uninstall root DESTDIR="$DEST" PREFIX=/usr

	# --- as root, a custom layout -------------------------------------------------
	DEST=$T/custom
	LAYOUT=(PREFIX=/opt/sf BINDIR=/opt/sf/sbin MANDIR=/opt/sf/doc/man DATADIR=/opt/sf/data
		DOCDIR=/opt/sf/doc/sysfence LIBDIR=/opt/sf/lib64 INCLUDEDIR=/opt/sf/inc)
	if "${MK[@]}" install DESTDIR="$DEST" "${LAYOUT[@]}" >"$T/out" 2>&1; then
		ok "custom: make install with BINDIR, MANDIR, DATADIR"
	else
		not_ok "custom: make install with BINDIR, MANDIR, DATADIR"
		show "$T/out"
	fi
	layout /opt/sf/sbin /opt/sf/doc/man /opt/sf/data /opt/sf/doc/sysfence /opt/sf/lib64 /opt/sf/inc
	check_tree custom root:root yes
	check_uninstall custom DESTDIR="$DEST" "${LAYOUT[@]}"

	# --- as root, NO_SETUID=1 -----------------------------------------------------
	DEST=$T/nosuid-root
	if "${MK[@]}" install DESTDIR="$DEST" PREFIX=/usr NO_SETUID=1 >"$T/out" 2>&1; then
		ok "root, NO_SETUID=1: make install"
	else
		not_ok "root, NO_SETUID=1: make install"
		show "$T/out"
	fi
	expect_grep "$T/out" 'installed without the setuid bit' "root, NO_SETUID=1: the note is printed"
	layout /usr/bin /usr/share/man /usr/share /usr/share/doc/sysfence /usr/lib /usr/include
	check_tree "root, NO_SETUID=1" root:root no
	check_uninstall "root, NO_SETUID=1" DESTDIR="$DEST" PREFIX=/usr
fi

# --- NO_SETUID=1 as an unprivileged packaging user ----------------------------------
# nobody when we are root (its make must find the build up to date: it may
# write nothing in the tree), else ourselves.
AS=()
if [ "$(id -u)" -eq 0 ]; then
	AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
DEST=$T/pkg
mkdir -p "$DEST"
[ "$(id -u)" -eq 0 ] && chown 65534:65534 "$DEST"
user=$("${AS[@]}" id -un)
group=$("${AS[@]}" id -gn)
if ! "${AS[@]}" test -r "$SF_ROOT/Makefile"; then
	skip "NO_SETUID=1 as $user: cannot read the tree"
elif ! "${AS[@]}" "${MK[@]}" -q all >/dev/null 2>&1; then
	skip "NO_SETUID=1 as $user: the build is not up to date (make would write in the tree)"
else
	if "${AS[@]}" "${MK[@]}" install DESTDIR="$DEST" PREFIX=/usr NO_SETUID=1 >"$T/out" 2>&1; then
		ok "$user, NO_SETUID=1: make install works without root"
	else
		not_ok "$user, NO_SETUID=1: make install works without root"
		show "$T/out"
	fi
	expect_grep "$T/out" 'installed without the setuid bit' "$user, NO_SETUID=1: the note is printed"
	expect_grep "$T/out" 'root-owned 04755' "$user, NO_SETUID=1: the note says what the package must do"
	layout /usr/bin /usr/share/man /usr/share /usr/share/doc/sysfence /usr/lib /usr/include
	check_tree "$user, NO_SETUID=1" "$user:$group" no
	AS_MK=("${AS[@]}" "${MK[@]}")
	if "${AS_MK[@]}" uninstall DESTDIR="$DEST" PREFIX=/usr >"$T/out" 2>&1 &&
		[ -z "$(find "$DEST" -type f)" ] && [ ! -e "$DEST$STORE_PATH" ]; then
		ok "$user, NO_SETUID=1: make uninstall removes everything"
	else
		not_ok "$user, NO_SETUID=1: make uninstall removes everything"
		show "$T/out"
	fi
fi

#!/bin/sh
# make deb: builds the Debian packages from a copy of this tree and checks
# them.  The copy (the files git knows, committed or not, without ignored
# ones such as build/) goes to build/deb/sysfence-VERSION: debian/rules
# clean runs `make clean`, which must not remove this tree's build, and
# dpkg-buildpackage writes its results next to the source folder, which
# must not be the folder above this tree.
#   build/deb/*.deb, *.ddeb, *.changes, *.buildinfo   the results
#   build/deb/build.log                               dpkg-buildpackage's output
# Then:
#   - the build printed no compiler warning (debian/rules builds with
#     WERROR=0, so a warning would not stop it; here it does);
#   - lintian on the .changes: any error fails, warnings and information
#     are printed; overrides are in debian/*.lintian-overrides, each with
#     its reason.
# Needs the Build-Depends (as root: apt-get build-dep ./) and lintian.
set -eu
cd "$(dirname "$0")/.."

version=$(dpkg-parsechangelog -S Version)
upstream=${version%-*}
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
out=build/deb
src=$out/sysfence-$upstream

rm -rf "$out"
mkdir -p "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# Deleted files may still be in the index: copy what exists.
	git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done; :' sh |
		xargs -0 cp --parents -t "$src"
else
	tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$src"
fi

echo "== dpkg-buildpackage -us -uc -b in $src (log: $out/build.log)"
start=$(date +%s)
# No state of a make above us (a jobserver, command-line variables).
if ! (cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	dpkg-buildpackage -us -uc -b -jauto) >"$out/build.log" 2>&1; then
	tail -40 "$out/build.log" >&2
	echo "make deb: dpkg-buildpackage failed (the whole log: $out/build.log)" >&2
	exit 1
fi
echo "   built in $(($(date +%s) - start)) s:"
ls "$out" | grep -E '\.(deb|ddeb)$' | sed 's/^/   /'

if grep -E '^[^ :]+:[0-9]+:[0-9]+: warning:' "$out/build.log" >"$out/warnings"; then
	sed 's/^/   /' "$out/warnings" >&2
	echo "make deb: the package build printed compiler warnings" >&2
	exit 1
fi
echo "   no compiler warning"

changes=$out/sysfence_${version}_$arch.changes
if ! command -v lintian >/dev/null; then
	echo "make deb: lintian is not installed (apt-get install lintian)" >&2
	exit 1
fi
echo "== lintian $(lintian --version | sed 's/^Lintian v//') $changes"
lintian --fail-on error --display-info "$changes"
echo "   lintian: no error"

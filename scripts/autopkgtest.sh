#!/bin/sh
# make autopkgtest: runs debian/tests (autopkgtest(1), the null testbed:
# this machine, as root) on the packages `make deb` left in build/deb, then
# purges them again, so that the machine is as before.  Needs root and the
# autopkgtest package.
set -eu
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
	echo "make autopkgtest: run as root (it installs the packages)" >&2
	exit 1
fi
if ! command -v autopkgtest >/dev/null; then
	echo "make autopkgtest: autopkgtest is not installed (apt-get install autopkgtest)" >&2
	exit 1
fi
set -- build/deb/*.deb
if [ ! -e "$1" ]; then
	echo "make autopkgtest: no package in build/deb: run make deb first" >&2
	exit 1
fi
pkgs=$(for deb; do dpkg-deb -f "$deb" Package; done)
for p in $pkgs; do
	if dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		echo "make autopkgtest: $p is installed already; it would be replaced and then removed" >&2
		exit 1
	fi
done

rc=0
rm -rf build/autopkgtest
# -B: test the given packages, do not build the source tree again.
autopkgtest -B -o build/autopkgtest "$@" ./ -- null || rc=$?
installed=$(for p in $pkgs; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' && echo "$p"
done)
# shellcheck disable=SC2086 # one word per package name
[ -z "$installed" ] || dpkg --purge $installed >/dev/null || rc=1
# 2: a test was skipped; anything else but 0 is a failure.
[ "$rc" = 0 ] || echo "make autopkgtest: failed (exit $rc; logs in build/autopkgtest)" >&2
exit "$rc"

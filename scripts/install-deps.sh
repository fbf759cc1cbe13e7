#!/bin/sh
# Installs what building and testing sysfence needs, when it is missing.
# Debian/Ubuntu only (apt-get); quiet and quick when everything is there.
set -eu

# Every architecture's kernel headers (small, arch "all"), against which
# tests/integration/constants_arches.sh checks the named constants' values.
CROSS="linux-libc-dev-i386-cross linux-libc-dev-arm64-cross linux-libc-dev-armhf-cross \
linux-libc-dev-riscv64-cross linux-libc-dev-s390x-cross linux-libc-dev-ppc64el-cross \
linux-libc-dev-ppc64-cross linux-libc-dev-powerpc-cross linux-libc-dev-mips-cross \
linux-libc-dev-mips64el-cross linux-libc-dev-mipsn32-cross linux-libc-dev-hppa-cross"

# clang only recommends libclang-rt-dev (libFuzzer and the sanitizer
# runtimes), and recommendations are not installed here: name it.
PKGS="make gcc libc6-dev pkg-config libseccomp-dev libcap-dev nettle-dev \
libcmocka-dev libjson-c-dev gcc-multilib clang libclang-rt-dev groff-base man-db util-linux \
procps kmod bubblewrap strace $CROSS"

missing=""
for p in $PKGS; do
	# gcc-multilib does not exist on every architecture: it is optional.
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "sysfence: missing packages:$missing" >&2
	echo "sysfence: run as root (sudo make ...) to install them, or install them yourself" >&2
	exit 1
fi
echo "sysfence: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || true
# Required first, then the optional ones one by one so a missing optional
# package (gcc-multilib on non-x86, bubblewrap) cannot stop the install.
required=""
optional=""
for p in $missing; do
	case $p in
	gcc-multilib | bubblewrap | clang | libclang-rt-dev | strace | linux-libc-dev-*-cross)
		optional="$optional $p" ;;
	*) required="$required $p" ;;
	esac
done
[ -z "$required" ] || apt-get install -y -qq --no-install-recommends $required
for p in $optional; do
	apt-get install -y -qq --no-install-recommends "$p" ||
		echo "sysfence: note: optional package $p not installed"
done

#!/bin/bash
# The README's tutorial must work as written: its hello.policy compiles,
# explains, disassembles and runs printf confined (by path, as root and as
# nobody), and the commands it names exist.
. "$(dirname "$0")/../lib.sh"

awk '/^# hello.policy$/ { f = 1 } f && /^```$/ { exit } f' "$SF_ROOT/README.md" >"$T/hello.policy"
if [ "$(grep -c . "$T/hello.policy")" -gt 10 ]; then ok "README: hello.policy extracted"; else not_ok "README: no hello.policy block"; fi
expect_exit 0 "README: hello.policy compiles" "$SF_COMPILE" --strict "$T/hello.policy" "$T/hello.bin"
expect_no_grep "$T/err" "warning" "README: hello.policy compiles without a warning"
expect_exit 1 "README: --explain socket AF_INET is denied" "$SF_COMPILE" --explain "$T/hello.policy" socket AF_INET 1 0
expect_grep "$T/out" "no rule allows it" "README: --explain names the default action"
expect_exit 1 "README: --explain ioctl TIOCSTI is denied" "$SF_COMPILE" --explain "$T/hello.policy" ioctl 1 TIOCSTI
expect_grep "$T/out" "ERRNO\\(EACCES\\)" "README: the explicit denial says EACCES"
expect_exit 0 "README: --disasm works" "$SF_COMPILE" --disasm "$T/hello.bin"
expect_exit 0 "README: --report works" "$SF_COMPILE" --report "$T/hello.bin"
chmod 0755 "$T"
chmod 0644 "$T/hello.bin"
expect_exit 0 "README: printf runs under hello.bin (by path, root)" "$SF_LAUNCH" "$T/hello.bin" -- /usr/bin/printf 'hello\n'
expect_grep "$T/out" "^hello$" "README: printf printed hello"
expect_exit 0 "README: and as nobody" setpriv --reuid=65534 --regid=65534 --clear-groups -- "$SF_LAUNCH" "$T/hello.bin" -- /usr/bin/printf 'hello\n'
expect_exit 0 "README: --features works" "$SF_LAUNCH" --features
# "Import a Docker profile", run as written (in a copy of the tree's layout).
awk '/^# docker.sh$/ { f = 1; next } f && /^```$/ { exit } f' "$SF_ROOT/README.md" >"$T/docker.sh"
if grep -q -- "--from-oci" "$T/docker.sh"; then ok "README: docker.sh extracted"; else not_ok "README: no docker.sh block"; fi
mkdir "$T/d" && ln -s "$SF_ROOT/tests" "$T/d/tests"
expect_exit 0 "README: the Docker profile imports, compiles and runs ls" \
	sh -c "cd '$T/d' && PATH='$BUILD':\$PATH && . '$T/docker.sh'"
expect_grep "$T/out" "^bin$" "README: ls listed /"
for cmd in demo check bench fuzz install uninstall; do
	if make -C "$SF_ROOT" -n "$cmd" >/dev/null 2>&1; then ok "README: make $cmd exists"; else not_ok "README: make $cmd missing"; fi
done

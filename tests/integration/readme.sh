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
# "Learn a policy by tracing a run", as written, as nobody.
awk '/^# learn.sh$/ { f = 1; next } f && /^```$/ { exit } f' "$SF_ROOT/README.md" >"$T/learn.sh"
if grep -q -- "--learn" "$T/learn.sh"; then ok "README: learn.sh extracted"; else not_ok "README: no learn.sh block"; fi
mkdir -m 0777 "$T/l"
expect_exit 0 "README: --learn, review, compile and enforce run as written (as nobody)" \
	setpriv --reuid=65534 --regid=65534 --clear-groups -- sh -c "cd '$T/l' && PATH='$BUILD':\$PATH && . '$T/learn.sh'"
expect_grep "$T/out" "^socket AF_INET 0x80001 IPPROTO_IP " "README: the socket line is the one it shows"
for cmd in demo check bench fuzz install uninstall; do
	if make -C "$SF_ROOT" -n "$cmd" >/dev/null 2>&1; then ok "README: make $cmd exists"; else not_ok "README: make $cmd missing"; fi
done

# Step 4 on a machine where only the build exists: the README's own
# commands create the store, install the profile and launch it by name.
# The store may exist (make install, another run): then only a profile of
# our own name is added, and everything this test made is removed after.
STORE=/var/lib/sysfence/profiles
step4=$(awk '/^\*\*4\. Launch\*\*/ { f = 1 } f && /^```sh$/ { g = 1; next } g && /^```$/ { exit } g' "$SF_ROOT/README.md")
if grep -q "install -d -m 0755 $STORE" <<<"$step4" && grep -q "install -m 0644 hello.bin $STORE/hello.bin" <<<"$step4"; then
	ok "README step 4: creates the store and installs into it"
else
	not_ok "README step 4: does not say how to create the store"
fi
name=readme-test-$$
# Concurrent runs (another checkout's make check) take turns with the store.
exec 8>/run/sysfence-readme.lock
flock -w 300 8 || not_ok "another run holds /run/sysfence-readme.lock"
made=()
for d in /var/lib/sysfence "$STORE"; do [ -d "$d" ] || made=("$d" "${made[@]}"); done
cleanup_step4() {
	rm -f "$STORE/$name.bin"
	for d in "${made[@]}"; do rmdir "$d" 2>/dev/null; done
}
at_exit cleanup_step4
# The README's lines, with our profile name.
while IFS= read -r line; do
	case $line in
	"sudo install -d"* | "sudo install -m 0644"*)
		cmd=${line#sudo }
		cmd=${cmd%%#*}
		cmd=${cmd/" hello.bin "/" $T/hello.bin "}
		cmd=${cmd/"$STORE/hello.bin"/"$STORE/$name.bin"}
		# shellcheck disable=SC2086 # the README's words
		if $cmd; then ok "README step 4: $cmd"; else not_ok "README step 4: $cmd"; fi
		;;
	esac
done <<<"$step4"
expect_exit 0 "README step 4: printf runs from the store by name" "$SF_LAUNCH" "$name" -- /usr/bin/printf 'hello\n'
expect_grep "$T/out" "^hello$" "README step 4: printed hello"

# Step 5 starts from the shipped base template (install.sh checks that
# make install puts share/include/base.policy where the compiler looks):
# its first two commands, as written, against the tree's library.
step5=$(grep -m1 "^printf '@include base" "$SF_ROOT/README.md")
if [ -n "$step5" ] && (cd "$T" && eval "$step5" &&
	SYSFENCE_INCLUDE_DIR=$SF_ROOT/share/include "$SF_COMPILE" app.policy app.bin) >"$T/step5.err" 2>&1 &&
	[ -s "$T/app.bin" ]; then
	ok "README step 5: the policy it starts from compiles from the shipped template"
else
	not_ok "README step 5: the policy it starts from compiles from the shipped template"
	show "$T/step5.err"
fi

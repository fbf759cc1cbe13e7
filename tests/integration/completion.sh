#!/bin/bash
# completion/sysfence.bash: sourced into a fresh bash, each completion
# function is called the way bash calls it (COMP_WORDS, COMP_CWORD) and
# its COMPREPLY checked: options, --arch names, policies and blobs as
# files, syscall names after --explain POLICY, profile names from the
# store the launcher reports (--features: profile_dir=) or --profile-dir
# names, "--" after the profile, commands after "--".  Once on its own,
# and again on top of the bash-completion package when it is installed.
. "$(dirname "$0")/../lib.sh"
COMPLETION=$SF_ROOT/completion/sysfence.bash

if bash -n "$COMPLETION" 2>"$T/err"; then ok "sysfence.bash parses"; else not_ok "sysfence.bash parses"; show "$T/err"; fi

# Files to complete, and two stores; a stand-in launcher reports one.
mkdir -p "$T/w/sub" "$T/store" "$T/store2" "$T/bin"
touch "$T/w/app.policy" "$T/w/app.bin" "$T/w/notes.txt" "$T/w/other.pol" "$T/w/docker.json"
printf 'read\nwrite  # a comment\n~ptrace\nsocket AF_UNIX\n@complain\n' >"$T/w/app.policy"
touch "$T/store/firefox.bin" "$T/store/foot.bin" "$T/store/curl.bin" "$T/store/README"
touch "$T/store2/other.bin"
printf '#!/bin/sh\necho seccomp_syscall=yes\necho profile_dir=%s\n' "$T/store" >"$T/bin/sysfence-launch"
chmod +x "$T/bin/sysfence-launch"
# --explain completes the names sysfence-compile --syscalls prints: this build's.
ln -s "$SF_COMPILE" "$T/bin/sysfence-compile"
export PATH="$T/bin:$PATH"

# complete FRAMEWORK LINE: the candidates for LINE (the last word is being
# completed; a trailing blank completes an empty word), one per line, sorted,
# each once.
complete_line() {
	local framework=$1 line=$2
	bash --norc --noprofile -c '
		framework=$1 completion=$2 line=$3
		if [ "$framework" = yes ]; then
			. /usr/share/bash-completion/bash_completion 2>/dev/null
		fi
		. "$completion"
		# compopt works only inside a completion that readline started; the
		# functions are called directly here.
		compopt() { builtin compopt "$@" 2>/dev/null; return 0; }
		read -ra COMP_WORDS <<<"$line"
		[[ $line == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line}
		cmd=${COMP_WORDS[0]##*/}
		fn=$(complete -p "$cmd" | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
		"$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort -u
	' sh "$framework" "$COMPLETION" "$line" 2>"$T/cerr"
}

# expect_has / expect_not FRAMEWORK LINE WORD...
expect_has() {
	local fw=$1 line=$2 w missing=""
	shift 2
	complete_line "$fw" "$line" >"$T/got"
	for w in "$@"; do grep -qxF -- "$w" "$T/got" || missing="$missing $w"; done
	if [ -z "$missing" ] && [ ! -s "$T/cerr" ]; then
		ok "[$fw] '$line' offers $*"
	else
		not_ok "[$fw] '$line' offers $* (missing:$missing)"
		show "$T/got"
		show "$T/cerr"
	fi
}
expect_not() {
	local fw=$1 line=$2 w found=""
	shift 2
	complete_line "$fw" "$line" >"$T/got"
	for w in "$@"; do grep -qxF -- "$w" "$T/got" && found="$found $w"; done
	if [ -z "$found" ]; then ok "[$fw] '$line' does not offer $*"; else not_ok "[$fw] '$line' offers$found"; show "$T/got"; fi
}
expect_exactly() {
	local fw=$1 line=$2 want
	shift 2
	want=$(printf '%s\n' "$@" | sort)
	complete_line "$fw" "$line" >"$T/got"
	if [ "$(cat "$T/got")" = "$want" ]; then ok "[$fw] '$line' offers exactly: $*"; else not_ok "[$fw] '$line' offers exactly: $*"; show "$T/got"; fi
}

cases() {
	local fw=$1 L=$T/bin/sysfence-launch
	# sysfence-compile
	expect_has "$fw" "sysfence-compile --" --arch --strict --out-dir --jobs --explain --from-log --version
	expect_exactly "$fw" "sysfence-compile --st" --strict
	expect_has "$fw" "sysfence-compile --arch " x86_64 x86 aarch64 riscv64
	expect_exactly "$fw" "sysfence-compile --arch aa" aarch64
	expect_has "$fw" "sysfence-compile $T/w/" "$T/w/app.policy" "$T/w/other.pol" "$T/w/sub"
	expect_not "$fw" "sysfence-compile $T/w/" "$T/w/notes.txt" "$T/w/app.bin"
	expect_has "$fw" "sysfence-compile $T/w/app.policy $T/w/" "$T/w/app.bin" "$T/w/sub"
	expect_not "$fw" "sysfence-compile $T/w/app.policy $T/w/" "$T/w/app.policy"
	expect_has "$fw" "sysfence-compile --out-dir $T/w/sub $T/w/app.policy $T/w/" "$T/w/other.pol"
	expect_exactly "$fw" "sysfence-compile --out-dir $T/w/s" "$T/w/sub"
	expect_exactly "$fw" "sysfence-compile --disasm $T/w/a" "$T/w/app.bin"
	# SYSCALL: every syscall of the architectures, not only the policy's.
	expect_has "$fw" "sysfence-compile --explain $T/w/app.policy " ptrace read socket write getpid openat clone3
	expect_exactly "$fw" "sysfence-compile --explain --arch x86_64 $T/w/app.policy so" socket socketpair
	expect_exactly "$fw" "sysfence-compile --explain --arch x86 $T/w/app.policy socketc" socketcall
	expect_not "$fw" "sysfence-compile --explain --arch aarch64 $T/w/app.policy op" open
	expect_has "$fw" "sysfence-compile --explain --arch aarch64 $T/w/app.policy op" openat
	expect_has "$fw" "sysfence-compile --" --list-groups --include-dir
	expect_exactly "$fw" "sysfence-compile --include-dir $T/w/s" "$T/w/sub"
	expect_exactly "$fw" "$SF_COMPILE --list-groups @netw" @network-io
	expect_has "$fw" "$SF_COMPILE --list-groups " @basic-io @mount @system-service @known
	expect_has "$fw" "sysfence-compile --from-log - --" --policy --as-patch --comm --pid
	expect_has "$fw" "sysfence-compile --from-log - --" --json
	expect_has "$fw" "sysfence-compile --report --" --json
	expect_has "$fw" "sysfence-compile --" --json
	expect_not "$fw" "sysfence-compile --disasm --" --json
	expect_not "$fw" "sysfence-compile --from-log - --" --out-dir --force
	expect_exactly "$fw" "sysfence-compile --from-log - --policy $T/w/app" "$T/w/app.policy"
	expect_has "$fw" "sysfence-compile --" --from-oci --learn
	expect_has "$fw" "sysfence-compile --learn --" --policy --as-patch --output --arch
	expect_not "$fw" "sysfence-compile --learn --" --out-dir --comm --caps
	expect_exactly "$fw" "sysfence-compile --learn --policy $T/w/app" "$T/w/app.policy"
	expect_exactly "$fw" "sysfence-compile --learn " --
	expect_has "$fw" "sysfence-compile --learn -o $T/w/x.policy -- bas" bash
	expect_not "$fw" "sysfence-compile --learn -- " if then
	expect_has "$fw" "sysfence-compile --learn -- cat $T/w/n" "$T/w/notes.txt"
	expect_exactly "$fw" "sysfence-compile --learn -- $T/w/app.policy --wa"
	expect_has "$fw" "sysfence-compile --from-oci --" --caps --kernel --arch --strict
	expect_not "$fw" "sysfence-compile --from-oci --" --out-dir --policy --comm
	expect_exactly "$fw" "sysfence-compile --from-oci $T/w/d" "$T/w/docker.json"
	expect_has "$fw" "sysfence-compile --from-oci $T/w/docker.json $T/w/" "$T/w/app.policy"
	expect_exactly "$fw" "sysfence-compile --from-oci --caps CAP_SYS_AD" CAP_SYS_ADMIN
	expect_exactly "$fw" "sysfence-compile --from-oci --caps CAP_NET_RAW,CAP_SYS_AD" CAP_NET_RAW,CAP_SYS_ADMIN
	expect_has "$fw" "sysfence-compile --from-oci --caps " ALL CAP_CHOWN
	expect_exactly "$fw" "sysfence-compile --from-oci --caps SYS_ADMIN $T/w/d" "$T/w/docker.json"
	# sysfence-launch
	expect_exactly "$fw" "$L " curl firefox foot
	expect_exactly "$fw" "$L f" firefox foot
	expect_exactly "$fw" "$L --wait 10 fi" firefox
	expect_exactly "$fw" "$L --profile-dir $T/store2 " other
	expect_exactly "$fw" "$L --profile-dir $T/sto" "$T/store" "$T/store2"
	expect_has "$fw" "$L --" --wait --profile-dir --features --help --version
	expect_exactly "$fw" "$L firefox " --
	expect_exactly "$fw" "$L $T/w/a" "$T/w/app.bin"
	expect_has "$fw" "$L firefox -- bas" bash
	# The program is exec'ed: no shell keyword, builtin or function.
	expect_not "$fw" "$L firefox -- " if then fi for while function "[[" cd alias
	expect_not "$fw" "$L firefox -- i" if
	expect_has "$fw" "$L firefox -- ech" echo
	expect_has "$fw" "$L firefox -- $T/w/" "$T/w/sub"
	expect_has "$fw" "$L firefox -- cat $T/w/n" "$T/w/notes.txt"
	expect_exactly "$fw" "$L firefox -- $T/w/app.policy --wa"
	# The real launcher of this build: its store may not exist; no error.
	expect_not "$fw" "$SF_LAUNCH " firefox
	# sysfence-launch found on PATH by name: the stand-in reports $T/store.
	if PATH=$T/bin:$PATH complete_line "$fw" "sysfence-launch cu" | grep -qx curl; then
		ok "[$fw] 'sysfence-launch cu' (from PATH) offers curl"
	else
		not_ok "[$fw] 'sysfence-launch cu' (from PATH) offers curl"
	fi
}

cases no
if [ -r /usr/share/bash-completion/bash_completion ]; then
	cases yes
else
	skip "the bash-completion package is not installed: checked on its own only"
fi

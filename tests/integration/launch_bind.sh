#!/bin/bash
# No confused deputy (docs/security.md "no_new_privs unless bound"): as
# nobody, through the real setuid launcher, every profile loads with
# no_new_privs except a trusted profile running a program it is bound to
# (@bind).  sf-careless is a setuid-root helper whose privilege drop fails
# silently under a filter that denies setresuid, after which it reads a
# root-only file: the attack no_new_privs exists for.
. "$(dirname "$0")/launch_setup.sh"

as_debug() { env SYSFENCE_DEBUG=1 setpriv --reuid=$SF_UID --regid=$SF_GID --clear-groups "$@"; }

# What the careless helper and sf-try need; setresuid is NOT allowed, so
# the helper's drop fails with EPERM.
RULES=("${POLICY_TEST_RULES[@]}" getuid geteuid execveat)
policy unbound "${RULES[@]}"
policy bound "${RULES[@]}" "@bind $BB/sf-careless" "@bind $BB/link/sf-try-suid"
policy noexecveat "${POLICY_TEST_RULES[@]}" getuid geteuid "@bind $BB/sf-careless"
install -o root -g root -m 4711 "$SF_HELPERS/sf-try" "$BB/exec-only"
policy execonly "${RULES[@]}" "@bind $BB/exec-only"
ln -s . "$BB/link" # a root-owned symlink on the way, as Debian's /bin -> usr/bin
for p in unbound bound execonly; do store $p || not_ok "compile $p"; done
"$SF_COMPILE" "$P/noexecveat.pol" "$P/noexecveat.bin" 2>"$T/warn" &&
	install -o root -g root -m 0644 "$P/noexecveat.bin" "$STORE/noexecveat.bin"
expect_grep "$T/warn" 'warning: sysfence-launch starts a bound program with execveat, which this policy does not allow' \
	"compiler: a bound policy without execveat is a warning"
"$SF_COMPILE" --disasm "$STORE/bound.bin" >"$T/disasm" 2>&1
expect_grep "$T/disasm" "^bound to: +$BB/sf-careless\$" "compiler: the blob records the bindings"

# --- the attack, and the control that shows it is real ---------------------
expect_exit 1 "control: the careless helper alone drops root (its drop works unconfined)" \
	as_user "$BB/sf-careless" "$SECRET"
expect_grep "$T/out" "^read denied: Permission denied\$" "control: unconfined, it cannot read the secret"
expect_exit 0 "bound: the profile's own setuid program keeps its privileges" \
	as_user "$L" bound -- "$BB/sf-careless" "$SECRET"
expect_grep "$T/out" "^ids ruid=$SF_UID euid=0\$" "bound: the bound helper runs as euid 0 (its drop was denied)"
expect_grep "$T/out" '^read OK: SECRET-ROOT-ONLY$' \
	"bound: what no_new_privs prevents is real (the helper read the root-only file)"
expect_exit 1 "unbound trusted profile: the careless helper is not fooled" \
	as_user "$L" unbound -- "$BB/sf-careless" "$SECRET"
expect_grep "$T/out" "^ids ruid=$SF_UID euid=$SF_UID\$" "unbound: no_new_privs, the helper never had root"
expect_grep "$T/out" '^read denied: Permission denied$' "unbound: the secret stays secret"

# --- what counts as bound -----------------------------------------------------
expect_exit 0 "bound through a root-owned symlink: sf-try-suid" \
	as_debug "$L" bound -- "$BB/sf-try-suid" ids status
expect_grep "$T/out" "^ruid=$SF_UID euid=0 " "bound through a symlink: the setuid bit works"
expect_grep "$T/out" '^NoNewPrivs:[[:space:]]+0$' "bound: NoNewPrivs 0"
expect_grep "$T/out" '^Seccomp_filters:[[:space:]]+1$' "bound: the profile's program is attached (one filter)"
expect_grep "$T/err" "^sysfence-launch: bound: mode=enforce .* nnp=no\$" "bound: SYSFENCE_DEBUG says nnp=no"
expect_grep "$T/err" "^sysfence-launch: bound: without no_new_privs: the program is $BB/link/sf-try-suid, a bound program\$" \
	"bound: SYSFENCE_DEBUG names the binding"
expect_exit 0 "bound profile, a setuid program it is not bound to" as_debug "$L" bound -- "$B/sf-try-suid" ids status
expect_grep "$T/out" "^ruid=$SF_UID euid=$SF_UID " "unbound program: the setuid bit is ignored"
expect_grep "$T/out" '^NoNewPrivs:[[:space:]]+1$' "unbound program: NoNewPrivs 1"
expect_grep "$T/out" '^CapPrm:[[:space:]]+0+$' "unbound setuid program: no capability permitted"
expect_grep "$T/out" '^CapEff:[[:space:]]+0+$' "unbound setuid program: no capability effective"
expect_grep "$T/err" 'with no_new_privs: the program is none of the 2 the profile is bound to' \
	"unbound program: SYSFENCE_DEBUG says why"
expect_exit 0 "an execute-only bound program (mode 4711, opened O_PATH)" \
	as_user "$L" execonly -- "$BB/exec-only" ids status
expect_grep "$T/out" "^ruid=$SF_UID euid=0 " "execute-only bound program: the setuid bit works"
install -o root -g root -m 4755 "$SF_HELPERS/sf-careless" "$BB/careless-copy"
expect_exit 1 "a copy of a bound program (same bytes, another file) is not bound" \
	as_user "$L" bound -- "$BB/careless-copy" "$SECRET"
expect_grep "$T/out" "^ids ruid=$SF_UID euid=$SF_UID\$" "copy: no_new_privs"
expect_exit 0 "root caller, bound program: no no_new_privs" "$L" bound -- "$BB/sf-try-suid" status
expect_grep "$T/out" '^NoNewPrivs:[[:space:]]+0$' "root caller, bound program: NoNewPrivs 0"
expect_exit 0 "the same blob by path: never bound" as_user "$L" "$P/bound.bin" -- "$BB/sf-try-suid" ids status
expect_grep "$T/out" '^NoNewPrivs:[[:space:]]+1$' "path profile with bindings: NoNewPrivs 1"

# bind_case NAME PROGRAM DESCRIPTION WHY: a profile bound to PROGRAM, which
# runs with no_new_privs for the reason WHY (SYSFENCE_DEBUG).
bind_case() {
	policy "$1" "${RULES[@]}" "@bind $2"
	store "$1" 2>/dev/null || { not_ok "compile $1"; return; }
	expect_exit 0 "$3: runs" as_debug "$L" "$1" -- "$2" status
	expect_grep "$T/out" '^NoNewPrivs:[[:space:]]+1$' "$3: no_new_privs"
	expect_grep "$T/err" "with no_new_privs: .*$4" "$3: SYSFENCE_DEBUG says why"
}
mkdir -m 0755 "$BB/user"
chown "$SF_UID:$SF_GID" "$BB/user"
install -o root -g root -m 4755 "$SF_HELPERS/sf-try" "$BB/user/sf-try-suid"
bind_case userdir "$BB/user/sf-try-suid" "bound path in a folder the caller owns" \
	"does not count: folder $BB/user is not owned by root"
mkdir -m 0775 "$BB/gw"
install -o root -g root -m 4755 "$SF_HELPERS/sf-try" "$BB/gw/sf-try-suid"
bind_case gwdir "$BB/gw/sf-try-suid" "bound path in a group-writable folder" \
	"does not count: folder $BB/gw is writable by group or others"
install -o root -g root -m 4775 "$SF_HELPERS/sf-try" "$BB/gwfile"
bind_case gwfile "$BB/gwfile" "a group-writable bound file" "does not count: file $BB/gwfile is writable"
install -o root -g root -m 0755 "$SF_HELPERS/sf-try" "$BB/plain"
bind_case plain "$BB/plain" "a bound program that is not setuid" "gains no privileges when run"
printf '#!/bin/sh\ngrep -E "^(NoNewPrivs|Uid):" /proc/self/status\n' >"$BB/script"
chmod 4755 "$BB/script"
policy script "${RULES[@]}" "@bind $BB/script" pipe pipe2 clone clone3 wait4 dup2 dup3 \
	getppid getcwd geteuid getegid getgid uname stat sysinfo vfork prctl
store script 2>/dev/null
expect_exit 0 "a bound setuid script runs" as_debug "$L" script -- "$BB/script"
expect_grep "$T/out" '^NoNewPrivs:[[:space:]]+1$' "a bound script: no_new_privs (its interpreter is not privileged)"
expect_grep "$T/err" 'scripts are never bound' "a bound script: SYSFENCE_DEBUG says why"
if mkdir -m 0755 "$BB/nosuid" && mount -t tmpfs -o nosuid,mode=0755 sf-nosuid "$BB/nosuid"; then
	at_exit "umount '$BB/nosuid'"
	install -o root -g root -m 4755 "$SF_HELPERS/sf-try" "$BB/nosuid/sf-try-suid"
	bind_case nosuid "$BB/nosuid/sf-try-suid" "a bound setuid program on a nosuid mount" \
		"gains no privileges when run"
else
	skip "cannot mount a nosuid tmpfs"
fi

# --- no rename race: what was checked is what runs -----------------------------
# The caller's own symlink flips between the bound sf-try-suid and the
# careless helper while the launcher runs it.  Run by path after the check,
# the helper would run without no_new_privs and read the secret (through
# the caller's symlink "ids", the argument both programs get); run from the
# checked descriptor it never does.
ln -sfn "$BB/sf-try-suid" "$W/flip"
ln -sfn "$SECRET" "$W/ids"
(
	while :; do
		ln -sfn "$BB/careless-copy" "$W/flip.new" && mv -T "$W/flip.new" "$W/flip"
		ln -sfn "$BB/sf-try-suid" "$W/flip.new" && mv -T "$W/flip.new" "$W/flip"
	done
) &
flipper=$!
at_exit "kill $flipper 2>/dev/null"
bound_runs=0 careless_runs=0 leaks=0 others=0
for i in $(seq 300); do
	(cd "$W" && as_user "$L" bound -- "$W/flip" ids) >"$T/out" 2>&1
	if grep -q '^read OK' "$T/out" || grep -q "^ids ruid=$SF_UID euid=0" "$T/out"; then
		leaks=$((leaks + 1))
		cp "$T/out" "$T/leak"
	elif grep -q "^ruid=$SF_UID euid=0 " "$T/out"; then
		bound_runs=$((bound_runs + 1)) # sf-try-suid ran, bound
	elif grep -q "^ids ruid=$SF_UID euid=$SF_UID" "$T/out" ||
		grep -q "^ruid=$SF_UID euid=$SF_UID " "$T/out"; then
		# Not bound when opened: no_new_privs, and run by path (whatever the
		# link names by then, it runs with no_new_privs: harmless).
		careless_runs=$((careless_runs + 1))
	else
		others=$((others + 1))
		cp "$T/out" "$T/other"
	fi
done
kill $flipper 2>/dev/null
wait $flipper 2>/dev/null
if [ $leaks -eq 0 ] && [ $others -eq 0 ] && [ $bound_runs -gt 0 ] && [ $careless_runs -gt 0 ]; then
	ok "rename race: 300 launches, $bound_runs bound, $careless_runs with no_new_privs, never the careless helper with root"
else
	not_ok "rename race: $leaks leaks, $others other results ($bound_runs bound, $careless_runs not)"
	show "$T/leak"
	show "$T/other"
fi

# --- a bound program needs execveat ------------------------------------------
rm -f "$W/ran"
expect_exit 126 "bound, but the profile denies execveat: 126" \
	as_user "$L" noexecveat -- "$BB/sf-careless" "$SECRET"
expect_grep "$T/err" "^sysfence-launch: noexecveat: cannot run $BB/sf-careless: the profile denies execveat \\(ERRNO\\(EPERM\\)\\), which the launcher makes after loading it\$" \
	"bound without execveat: one line naming the profile and the call"
expect_no_grep "$T/out" 'read' "bound without execveat: the program never ran"

# --- what the program keeps: the caller's own groups ----------------------------
expect_exit 0 "supplementary groups" \
	setpriv --reuid=$SF_UID --regid=$SF_GID --groups=$SF_GID,4,100 "$L" unbound -- "$TRY" status
expect_grep "$T/out" "^Groups:[[:space:]]+4 100 $SF_GID[[:space:]]*\$" "the caller's own supplementary groups are kept, no other"
expect_exit 0 "supplementary groups, bound program" \
	setpriv --reuid=$SF_UID --regid=$SF_GID --groups=$SF_GID,4,100 "$L" bound -- "$BB/sf-try-suid" status
expect_grep "$T/out" "^Groups:[[:space:]]+4 100 $SF_GID[[:space:]]*\$" "bound: the caller's own supplementary groups, no other"

# --- --features -------------------------------------------------------------------
expect_exit 0 "--features" as_user "$L" --features
expect_grep "$T/out" '^no_new_privs=unless-bound$' "--features: no_new_privs=unless-bound"
expect_grep "$T/out" '^attach_check=refused-twin$' "--features: attach_check=refused-twin"

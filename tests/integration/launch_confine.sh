#!/bin/bash
# sysfence-launch end to end, for real: a setuid-root copy run by an
# unprivileged user (nobody) against a temporary trusted store.  What the
# confined program sees: allowed, denied (EPERM) and explicitly denied
# (EACCES) calls, audit records, ids, capabilities, no_new_privs, setuid
# programs inside, descriptors, standard streams, PATH lookup, --wait.
. "$(dirname "$0")/launch_setup.sh"
printk_ratelimit_off

policy t "${POLICY_TEST_RULES[@]}"
policy c @complain "${POLICY_TEST_RULES[@]}"
policy u @unrestricted
# Everything but execve: the exec itself is denied after the load.
{ base_policy | grep -vx execve; printf '%s\n' "${SANITIZER_RULES[@]}"; } >"$P/noexec.pol"
for p in t c u noexec; do store $p || not_ok "compile $p"; done

# --- enforce ---------------------------------------------------------------
expect_exit 0 "enforce: an allowed call works" as_user "$L" t -- "$TRY" syscall getpid
expect_exit 1 "enforce: a call the policy does not allow gets EPERM" \
	as_user "$L" t -- "$TRY" pid syscall getuid
pid=$(pid_of "$T/out")
if [ -n "$pid" ] && audit_record "$pid" 0x50000; then
	ok "enforce: the EPERM denial is in the audit log (code=0x50000)"
else
	not_ok "enforce: no code=0x50000 record for pid '$pid'"
fi
expect_exit 13 "enforce: an explicit denial (~getppid) gets EACCES" \
	as_user "$L" t -- "$TRY" syscall getppid
expect_exit 0 "enforce: socket(AF_UNIX) is allowed by its argument" \
	as_user "$L" t -- "$TRY" syscall socket 1 1 0
expect_exit 1 "enforce: socket(AF_INET) gets EPERM" as_user "$L" t -- "$TRY" syscall socket 2 1 0
expect_exit 0 "enforce: no output from the launcher on success" as_user "$L" t -- "$TRY" syscall getpid
if [ -s "$T/err" ]; then not_ok "enforce: launcher printed something"; show "$T/err"; else ok "enforce: stderr empty"; fi

# --- complain --------------------------------------------------------------
expect_exit 0 "complain: a call the policy does not allow succeeds" \
	as_user "$L" c -- "$TRY" pid syscall getuid
pid=$(pid_of "$T/out")
if [ -n "$pid" ] && audit_record "$pid" 0x7ffc0000; then
	ok "complain: the call is logged (code=0x7ffc0000)"
else
	not_ok "complain: no code=0x7ffc0000 record for pid '$pid'"
fi
expect_exit 13 "complain: explicit denials stay in force" as_user "$L" c -- "$TRY" syscall getppid

# --- unrestricted ----------------------------------------------------------
expect_exit 0 "unrestricted: runs" as_user "$L" u -- "$TRY" status syscall getuid
expect_grep "$T/out" '^Seccomp:[[:space:]]+0$' "unrestricted: no filter (Seccomp: 0)"
expect_grep "$T/out" '^NoNewPrivs:[[:space:]]+0$' "unrestricted: NoNewPrivs 0"
expect_grep "$T/out" '^CapPrm:[[:space:]]+0+$' "unrestricted: no capability left"

# --- identity and capabilities of the confined program ---------------------
expect_exit 0 "trusted profile: status readable" as_user "$L" t -- "$TRY" status ids
expect_grep "$T/out" "^Uid:[[:space:]]+$SF_UID[[:space:]]+$SF_UID[[:space:]]+$SF_UID[[:space:]]+$SF_UID\$" \
	"trusted profile: real, effective, saved and fs uid are the caller's"
expect_grep "$T/out" "^Gid:[[:space:]]+$SF_GID[[:space:]]+$SF_GID[[:space:]]+$SF_GID[[:space:]]+$SF_GID\$" \
	"trusted profile: all gids are the caller's"
for set in CapInh CapPrm CapEff CapAmb; do
	expect_grep "$T/out" "^$set:[[:space:]]+0+\$" "trusted profile: $set is empty"
done
expect_grep "$T/out" '^NoNewPrivs:[[:space:]]+1$' "trusted profile, program not bound: NoNewPrivs 1"
expect_grep "$T/out" '^Seccomp:[[:space:]]+2$' "trusted profile: in seccomp filter mode"
expect_grep "$T/out" '^Seccomp_filters:[[:space:]]+1$' "trusted profile: one filter (explicit denials inside)"

expect_exit 1 "path profile: loads and enforces" as_user "$L" "$P/t.bin" -- "$TRY" status syscall getuid
expect_grep "$T/out" '^NoNewPrivs:[[:space:]]+1$' "path profile: NoNewPrivs 1"
expect_grep "$T/out" '^Seccomp:[[:space:]]+2$' "path profile: in seccomp filter mode"
expect_grep "$T/out" '^CapPrm:[[:space:]]+0+$' "path profile: no capability"
expect_exit 1 "path profile: works without the setuid bit" as_user "$B/launch-nosuid" "$P/t.bin" -- "$TRY" syscall getuid

expect_exit 0 "setuid program inside a trusted profile" as_user "$L" t -- "$B/sf-try-suid" ids
expect_grep "$T/out" "^ruid=$SF_UID euid=$SF_UID " \
	"no_new_privs: a setuid program the trusted profile is not bound to gains nothing"
expect_exit 0 "setuid program inside a path profile" as_user "$L" "$P/t.bin" -- "$B/sf-try-suid" ids
expect_grep "$T/out" "^ruid=$SF_UID euid=$SF_UID " "no_new_privs: the setuid bit is ignored"

expect_exit 1 "root caller: trusted profile enforced" "$L" t -- "$TRY" status syscall getuid
expect_grep "$T/out" '^Uid:[[:space:]]+0[[:space:]]+0[[:space:]]+0[[:space:]]+0$' "root caller stays root"
expect_grep "$T/out" '^NoNewPrivs:[[:space:]]+1$' "root caller, program not bound: NoNewPrivs 1"

# --- descriptors and standard streams ---------------------------------------
as_user "$TRY" fds >"$T/fds.direct" 2>/dev/null
as_user "$L" t -- "$TRY" fds >"$T/fds.launched" 2>/dev/null
if diff <(awk '{print $2}' "$T/fds.direct") <(awk '{print $2}' "$T/fds.launched") >"$T/fds.diff" &&
	grep -q '^fd 0 ' "$T/fds.launched"; then
	ok "fds: the program has exactly the caller's descriptors (none leaked)"
else
	not_ok "fds: descriptors differ from the caller's"
	show "$T/fds.diff"
fi
expect_no_grep "$T/fds.launched" '/profiles|\.bin$' "fds: no profile or store descriptor in the program"

# closed_stream WHO FD: runs the launcher with descriptor FD closed; the
# program lists its descriptors on whichever stream is still open.  For the
# setuid run glibc's secure mode already fills a closed fd 0 with /dev/full
# before main(); for root (not secure mode) the launcher does it.
closed_stream() {
	local run=()
	[ "$1" = user ] && run=(setpriv --reuid=$SF_UID --regid=$SF_GID --clear-groups)
	case $2 in
	0) "${run[@]}" "$L" t -- "$TRY" fds touch "$W/ran" <&- >"$T/out" 2>"$T/err" ;;
	1) "${run[@]}" "$L" t -- "$TRY" -e fds touch "$W/ran" >&- 2>"$T/out" ;;
	2) "${run[@]}" "$L" t -- "$TRY" fds touch "$W/ran" >"$T/out" 2>&- ;;
	esac
}
for who in user root; do
	for fd in 0 1 2; do
		rm -f "$W/ran"
		closed_stream $who $fd
		if [ -e "$W/ran" ] && grep -Eq "^fd $fd -> /dev/(null|full)\$" "$T/out"; then
			ok "$who, closed fd $fd: the program runs with /dev/null there"
		else
			not_ok "$who, closed fd $fd"
			show "$T/out"
		fi
	done
done

# --- environment, PATH, exec ------------------------------------------------
expect_exit 0 "environment passes through" \
	env SF_MARK=kept LD_PRELOAD=/nonexistent.so setpriv --reuid=$SF_UID --regid=$SF_GID --clear-groups \
	"$L" t -- "$TRY" env SF_MARK env LD_PRELOAD
expect_grep "$T/out" '^SF_MARK=kept$' "environment: an ordinary variable is kept"
expect_grep "$T/out" '^LD_PRELOAD unset$' "environment: glibc secure mode strips LD_PRELOAD"
expect_exit 0 "PATH: PROGRAM found by name" env PATH="$B:/usr/bin:/bin" \
	setpriv --reuid=$SF_UID --regid=$SF_GID --clear-groups "$L" t -- sf-try syscall getpid
expect_exit 127 "PATH: a missing PROGRAM is 127" env PATH=/usr/bin:/bin \
	setpriv --reuid=$SF_UID --regid=$SF_GID --clear-groups "$L" t -- no-such-program-sf
expect_grep "$T/err" '^sysfence-launch: t: cannot run no-such-program-sf: ' "PATH: one-line error"
install -m 0644 "$SF_HELPERS/sf-try" "$B/not-executable"
expect_exit 126 "a PROGRAM that is not executable is 126" as_user "$L" t -- "$B/not-executable"
expect_grep "$T/err" "^sysfence-launch: t: cannot run $B/not-executable: Permission denied\$" \
	"not executable by path: one line (execve's answer, after the load)"
# A name with '/' is left to execve: the same statuses and line as a search.
expect_exit 127 "a missing PROGRAM given by path is 127" as_user "$L" t -- "$B/no-such-program-sf"
expect_grep "$T/err" "^sysfence-launch: t: cannot run $B/no-such-program-sf: No such file or directory\$" \
	"missing by path: one line"
expect_exit 126 "a folder given as PROGRAM is 126" as_user "$L" t -- "$B"
mkdir -p "$W/prog-dir-sf"
expect_exit 126 "PATH: only a folder of PROGRAM's name: 126" env PATH="$W" "$(command -v setpriv)" \
	--reuid=$SF_UID --regid=$SF_GID --clear-groups "$L" t -- prog-dir-sf
rm -f "$W/ran"
expect_exit 126 "execve denied by the profile: 126" as_user "$L" noexec -- "$TRY" touch "$W/ran"
expect_grep "$T/err" "^sysfence-launch: noexec: cannot run $TRY: the profile denies execve \\(ERRNO\\(EPERM\\)\\), which the launcher makes after loading it\$" \
	"execve denied: one line naming the profile and the call"
if [ -e "$W/ran" ]; then not_ok "noexec: the program ran"; else ok "noexec: the program never ran"; fi

# --- --wait -----------------------------------------------------------------
policy late "${POLICY_TEST_RULES[@]}"
"$SF_COMPILE" -q "$P/late.pol" "$P/late.bin"
expect_exit 125 "a missing profile is refused at once" as_user "$L" late -- "$TRY" syscall getpid
expect_grep "$T/err" '^sysfence-launch: late: no such profile' "missing profile: one-line error"
# Published as a package manager (and sysfence-compile) does: complete, then
# renamed in.  install(1) creates its file 0600 and only then sets the mode,
# so a waiting launcher could open it in between and be refused (EACCES).
(sleep 0.7; install -o root -g root -m 0644 "$P/late.bin" "$STORE/.late.bin.tmp" &&
	mv -f "$STORE/.late.bin.tmp" "$STORE/late.bin") &
expect_exit 0 "--wait: the profile appears while waiting" as_user "$L" --wait 10 late -- "$TRY" syscall getpid
wait
rm -f "$STORE/late.bin"
start=$(date +%s%N)
expect_exit 125 "--wait 1: gives up on a profile that never comes" as_user "$L" --wait 1 late -- "$TRY" syscall getpid
elapsed=$((($(date +%s%N) - start) / 1000000))
if [ "$elapsed" -ge 900 ]; then ok "--wait 1 waited (${elapsed} ms)"; else not_ok "--wait 1 returned after ${elapsed} ms"; fi

# --- informational ----------------------------------------------------------
expect_exit 0 "--features as a user" as_user "$L" --features
for k in seccomp_syscall filter_flag_log action_log action_kill_process action_errno arch; do
	expect_grep "$T/out" "^$k=" "--features reports $k"
done
expect_grep "$T/out" '^privileges=setuid-root$' "--features: runs setuid root"
expect_grep "$T/out" '^filter_flag_log=yes$' "--features: this kernel has FLAG_LOG"
expect_no_grep "$T/out" '^note=' "--features: no fallback note on this kernel"
expect_exit 125 "--features: a write error is an error" \
	as_user bash -c '"$0" --features >/dev/full' "$L"
expect_exit 0 "--version" "$L" --version
expect_grep "$T/out" '^sysfence-launch [0-9]' "--version prints the version"
expect_exit 0 "--help" "$L" --help
expect_grep "$T/out" '^Usage: sysfence-launch' "--help prints the usage"

# --- the binary itself ----------------------------------------------------------
ln "$L" "$B/another-name"
expect_exit 1 "a hard-linked copy under another name behaves the same" \
	as_user "$B/another-name" t -- "$TRY" syscall getuid
# The installed launcher is stripped; the test build links the same objects
# and libraries the same way and keeps its symbols.
syms=$({ nm "$SF_LAUNCH_TEST" && nm -D "$SF_LAUNCH_TEST"; } 2>/dev/null)
if [ -z "$syms" ]; then
	skip "nm cannot read the launcher's symbols"
elif grep -Eq ' seccomp_(init|rule_add|load|export_bpf)$' <<<"$syms"; then
	not_ok "the launcher links libseccomp"
else
	ok "the launcher does not link libseccomp"
fi
if nm "$SF_LAUNCH" >/dev/null 2>&1 && nm "$SF_LAUNCH" 2>/dev/null | grep -q ' main$'; then
	not_ok "the installed launcher is not stripped"
else
	ok "the installed launcher is stripped"
fi

#!/bin/bash
# Old and hostile kernels, emulated honestly: sf-oldkernel attaches a
# parent filter (as root, without no_new_privs) that makes seccomp(2) and
# prctl(PR_SET_SECCOMP) answer as such a kernel would, drops to the
# unprivileged user and execs the real setuid launcher.  Each emulation
# must give the documented behaviour: the fallback works and is silent
# (SYSFENCE_DEBUG=1 explains it), and a load that fails ends in exit 125
# with the program never run.
. "$(dirname "$0")/launch_setup.sh"
printk_ratelimit_off

policy t "${POLICY_TEST_RULES[@]}"
policy c @complain "${POLICY_TEST_RULES[@]}"
store t && store c || not_ok "compile"
"$SF_HELPERS/sf-forge" killproc "$P/t.bin" "$P/kp.bin" &&
	install -o root -g root -m 0644 "$P/kp.bin" "$STORE/kp.bin" || not_ok "forge kp"

# old FEATURES [env VAR=VALUE...] LAUNCHER-ARGS...: the launcher under an emulated kernel.
old() {
	local features=$1
	shift
	"$SF_HELPERS/sf-oldkernel" --user "$SF_UID:$SF_GID" "$features" -- /usr/bin/env "$@"
}

# --- seccomp(2) missing: prctl path -------------------------------------------------
expect_exit 1 "no seccomp(2): the profile still enforces (EPERM)" \
	old nosys "$L" t -- "$TRY" status syscall getuid
expect_grep "$T/out" '^Seccomp_filters:[[:space:]]+2$' "no seccomp(2): the program loaded under the parent's"
if [ -s "$T/err" ]; then not_ok "no seccomp(2): silent without SYSFENCE_DEBUG"; show "$T/err"; else ok "no seccomp(2): silent without SYSFENCE_DEBUG"; fi
expect_exit 13 "no seccomp(2): explicit denial still EACCES" old nosys "$L" t -- "$TRY" syscall getppid
expect_exit 1 "no seccomp(2): SYSFENCE_DEBUG" old nosys SYSFENCE_DEBUG=1 "$L" t -- "$TRY" syscall getuid
expect_grep "$T/err" 'method=prctl' "no seccomp(2): loaded with prctl(PR_SET_SECCOMP)"
expect_exit 0 "no seccomp(2): --features" old nosys "$L" --features
expect_grep "$T/out" '^seccomp_syscall=no$' "no seccomp(2): --features says seccomp_syscall=no"
expect_grep "$T/out" '^load_method=prctl$' "no seccomp(2): --features says load_method=prctl"

# --- FLAG_LOG missing ---------------------------------------------------------------------
expect_exit 1 "no FLAG_LOG: the profile still enforces (EPERM)" \
	old noflaglog "$L" t -- "$TRY" pid syscall getuid
pid=$(pid_of "$T/out")
if [ -n "$pid" ] && ! audit_record "$pid" 0x50000; then
	ok "no FLAG_LOG: the denial is not logged"
else
	not_ok "no FLAG_LOG: a code=0x50000 record for pid '$pid'"
fi
if [ -s "$T/err" ]; then not_ok "no FLAG_LOG: silent"; show "$T/err"; else ok "no FLAG_LOG: silent without SYSFENCE_DEBUG"; fi
expect_exit 1 "no FLAG_LOG: SYSFENCE_DEBUG" old noflaglog SYSFENCE_DEBUG=1 "$L" t -- "$TRY" syscall getuid
expect_grep "$T/err" 'kernel lacks SECCOMP_FILTER_FLAG_LOG; denials are not logged' "no FLAG_LOG: debug says so"
expect_exit 0 "no FLAG_LOG: --features" old noflaglog "$L" --features
expect_grep "$T/out" '^filter_flag_log=no$' "no FLAG_LOG: --features says filter_flag_log=no"
expect_grep "$T/out" '^note=kernel lacks SECCOMP_FILTER_FLAG_LOG' "no FLAG_LOG: --features notes it"

# --- RET_LOG missing -----------------------------------------------------------------------
expect_exit 0 "no RET_LOG: a complain profile runs (LOG loaded as ALLOW)" \
	old noactions "$L" c -- "$TRY" pid syscall getuid
pid=$(pid_of "$T/out")
if [ -n "$pid" ] && ! audit_record "$pid" 0x7ffc0000; then
	ok "no RET_LOG: nothing logged as LOG (the action was rewritten)"
else
	not_ok "no RET_LOG: a code=0x7ffc0000 record for pid '$pid'"
fi
expect_exit 13 "no RET_LOG: explicit denial still EACCES" old noactions "$L" c -- "$TRY" syscall getppid
expect_exit 0 "no RET_LOG: SYSFENCE_DEBUG" old noactions SYSFENCE_DEBUG=1 "$L" c -- "$TRY" syscall getuid
expect_grep "$T/err" 'kernel lacks SECCOMP_RET_LOG; [0-9]+ LOG actions load as ALLOW' "no RET_LOG: debug says so"
expect_exit 0 "no RET_LOG: --features" old noactions "$L" --features
expect_grep "$T/out" '^action_log=no$' "no RET_LOG: --features says action_log=no"
expect_grep "$T/out" '^complain_mode=allow$' "no RET_LOG: --features says complain_mode=allow"
expect_exit 0 "4.13 kernel (no GET_ACTION_AVAIL, no FLAG_LOG): complain runs" \
	old v4.13 "$L" c -- "$TRY" syscall getuid
expect_exit 1 "4.13 kernel: enforce still EPERM" old v4.13 "$L" t -- "$TRY" syscall getuid

# --- KILL_PROCESS missing --------------------------------------------------------------------
# 159 = 128 + SIGSYS
expect_exit 159 "KILL_PROCESS: a forged kill profile kills (SIGSYS)" \
	as_user "$L" kp -- "$TRY" pid syscall getuid
pid=$(pid_of "$T/out")
if [ -n "$pid" ] && audit_record "$pid" 0x80000000; then ok "KILL_PROCESS used where the kernel has it"; else not_ok "no KILL_PROCESS record for '$pid'"; fi
expect_exit 159 "no KILL_PROCESS: still killed" old noactions "$L" kp -- "$TRY" pid syscall getuid
pid=$(pid_of "$T/out")
if [ -n "$pid" ] && audit_record "$pid" 0x0; then
	ok "no KILL_PROCESS: loaded as KILL_THREAD (code=0x0)"
else
	not_ok "no KILL_PROCESS: no code=0x0 record for '$pid'"
fi

# --- loads that fail: exit 125, never run unconfined ------------------------------------------
# failed FEATURES PROFILE DESCRIPTION
failed() {
	rm -f "$W/ran"
	old "$1" "$L" "$2" -- "$TRY" touch "$W/ran" >"$T/out" 2>"$T/err"
	local rc=$?
	if [ "$rc" -eq 125 ] && [ ! -e "$W/ran" ] && grep -Eq "^sysfence-launch: [^:]+: $4" "$T/err"; then
		ok "$3"
	else
		not_ok "$3 (exit $rc, marker $([ -e "$W/ran" ] && echo present || echo absent))"
		show "$T/err"
	fi
}
failed failseccomp t "seccomp(2) load fails: exit 125, program never ran" 'cannot load the allow filter'
failed failseccomp c "complain profile, load fails: exit 125" 'cannot load the allow filter'
failed failseccomp "$P/t.bin" "path profile, load fails: exit 125" 'cannot load the allow filter'
failed nosys,failprctl t "prctl(PR_SET_SECCOMP) load fails: exit 125, program never ran" 'cannot load'
failed hostile t "seccomp(2) answers EPERM to the probe: fail closed" 'cannot probe seccomp'

# --- an attach that only seems to work: exit 125, never run --------------------
# A parent filter that makes seccomp() (or prctl) return 0 without attaching.
# Before the real attach the launcher makes its twin with a program of
# length 0, which the kernel must refuse: the faker "accepts" it too.
failed fakeseccomp t "seccomp(2) fakes success: exit 125, program never ran" \
	'a filter above the launcher fakes seccomp\(\): an attach the kernel must refuse succeeded'
failed fakeseccomp c "complain profile, faked attach: exit 125" 'a filter above the launcher fakes seccomp'
failed fakeseccomp "$P/t.bin" "path profile, faked attach: exit 125" 'a filter above the launcher fakes seccomp'
failed nosys,fakeprctl t "prctl(PR_SET_SECCOMP) fakes success: exit 125, program never ran" \
	'a filter above the launcher fakes seccomp'
rm -f "$W/ran"
expect_exit 0 "control: the same emulation without the fake runs the program" \
	old noflaglog "$L" t -- "$TRY" touch "$W/ran"
if [ -e "$W/ran" ]; then ok "control: the program ran"; else not_ok "control: the program did not run"; fi

# --- no /proc: the launcher needs none ----------------------------------------------
# The twin proves the attach without reading anything; status comes from the
# program (sf-try cannot read /proc here either, so it probes a call).
noproc() {
	unshare -m sh -c 'mount -t tmpfs -o mode=0755 sf-noproc /proc &&
		exec setpriv --reuid='$SF_UID' --regid='$SF_GID' --clear-groups "$@"' sh "$@"
}
if [ "${SANITIZE:-0}" = 1 ]; then
	skip "no /proc: the sanitizer runtime itself reads /proc/self/maps (SANITIZE=1)"
else
	expect_exit 1 "no /proc: the profile loads and enforces (EPERM)" noproc "$L" t -- "$TRY" syscall getuid
	expect_grep "$T/out" '^getuid=errno:1$' "no /proc: the denial is the profile's (EPERM)"
	expect_exit 0 "no /proc: an allowed call works" noproc "$L" t -- "$TRY" syscall getpid
	expect_exit 13 "no /proc: explicit denial still EACCES" noproc "$L" t -- "$TRY" syscall getppid
fi

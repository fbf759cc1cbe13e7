#!/bin/bash
# What the kernel logs for compiled programs: complain mode allows the call
# and writes a LOG record (code=0x7ffc0000); enforce mode loaded with
# SECCOMP_FILTER_FLAG_LOG writes an ERRNO record (code=0x50000).
# Unrestricted policies compile to a blob without programs.
. "$(dirname "$0")/../lib.sh"
printk_ratelimit_off

{ base_policy; echo @complain; echo getppid 5; } >"$T/complain.policy"
"$SF_COMPILE" -q --raw "$T/complain.policy" "$T/complain.raw" 2>"$T/err" || show "$T/err"
"$SF_HELPERS/sf-run" "$T/complain.raw" -- getpgrp getppid,5 >"$T/out"
expect_grep "$T/out" '^getpgrp => OK' "complain: a call no rule allows succeeds"
pid=$(sed -n 's/^getpgrp => OK (pid \([0-9]*\))$/\1/p' "$T/out")
nr=$(grep -E '^#define __NR_getpgrp ' /usr/include/x86_64-linux-gnu/asm/unistd_64.h | awk '{print $3}')
if audit_record "$pid" 0x7ffc0000 "${nr:-111}"; then
	ok "complain: the kernel logged it (type=1326 code=0x7ffc0000)"
else
	not_ok "complain: no LOG record for pid $pid"
fi
pid=$(sed -n 's/^getppid,5 => OK (pid \([0-9]*\))$/\1/p' "$T/out")
if audit_record "$pid" '0x[0-9a-f]+' 110; then
	not_ok "complain: an allowed call was logged"
else
	ok "complain: an allowed call is not logged"
fi

{ base_policy; echo getppid 5; } >"$T/enforce.policy"
"$SF_COMPILE" -q --raw "$T/enforce.policy" "$T/enforce.raw"
"$SF_HELPERS/sf-run" --log "$T/enforce.raw" -- getpgrp >"$T/out"
expect_grep "$T/out" '^getpgrp => EPERM' "enforce: a call no rule allows fails with EPERM"
pid=$(sed -n 's/^getpgrp => EPERM (pid \([0-9]*\))$/\1/p' "$T/out")
if audit_record "$pid" 0x50000 "${nr:-111}"; then
	ok "enforce with FLAG_LOG: the kernel logged it (type=1326 code=0x50000)"
else
	not_ok "enforce: no ERRNO record for pid $pid"
fi

{ base_policy; echo getppid 5; echo @unrestricted; echo @complain; } >"$T/unr.policy"
expect_exit 0 "unrestricted: compiles" "$SF_COMPILE" -q "$T/unr.policy" "$T/unr.bin"
size=$(stat -c %s "$T/unr.bin")
if [ "$size" -eq 192 ]; then ok "unrestricted: a header and no program"; else not_ok "unrestricted blob is $size bytes"; fi
expect_exit 1 "unrestricted: --raw has nothing to write" "$SF_COMPILE" -q --raw "$T/unr.policy" "$T/unr.raw"
expect_grep "$T/err" "unrestricted policy has no program" "unrestricted: --raw says why"

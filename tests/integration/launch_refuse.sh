#!/bin/bash
# sysfence-launch refuses untrusted input: exit 125, one line
# "sysfence-launch: PROFILE: reason", and the program never runs (it would
# create a marker file).  Run as an unprivileged user through a real
# setuid-root copy, so every check is the one the setuid path makes.
. "$(dirname "$0")/launch_setup.sh"

policy t "${POLICY_TEST_RULES[@]}"
store t || not_ok "compile t"
store a64 --arch aarch64 2>/dev/null || { cp "$P/t.pol" "$P/a64.pol"; store a64 --arch aarch64; }
GOOD=$P/t.bin
SIZE=$(stat -c %s "$GOOD")

# refuse DESCRIPTION PATTERN [as=root] LAUNCHER-ARGS...: exit 125, PATTERN
# on stderr (one line), no marker.  "--" and the program are appended.
refuse() {
	local desc=$1 pat=$2 rc run=(setpriv --reuid=$SF_UID --regid=$SF_GID --clear-groups)
	shift 2
	if [ "$1" = as=root ]; then run=(); shift; fi
	rm -f "$W/ran"
	timeout 10 "${run[@]}" "$L" "$@" -- "$TRY" touch "$W/ran" >"$T/out" 2>"$T/err"
	rc=$?
	# One line; a usage error adds only the "Try --help" hint.
	if [ "$rc" -eq 125 ] && [ ! -e "$W/ran" ] && head -1 "$T/err" | grep -Eq -- "$pat" &&
		! sed 1d "$T/err" | grep -vq "^Try 'sysfence-launch --help'.\$"; then
		ok "refused: $desc"
	else
		not_ok "refused: $desc (exit $rc, marker $([ -e "$W/ran" ] && echo present || echo absent))"
		show "$T/err"
	fi
}

# put NAME SOURCE [MODE [OWNER]]: a file in the store.
put() {
	install -o "${4:-root}" -g root -m "${3:-0644}" "$2" "$STORE/$1.bin"
}

# Sanity: the good profile runs, so each refusal below is the check's doing.
rm -f "$W/ran"
expect_exit 0 "control: the good profile runs" as_user "$L" t -- "$TRY" touch "$W/ran"

# --- ownership and permissions ------------------------------------------------
put own "$GOOD" 0644 "$SF_UID"
refuse "profile owned by the user" '^sysfence-launch: own: profile .*/own\.bin is not owned by root$' own
put gw "$GOOD" 0664
refuse "group-writable profile" 'gw: profile .* is writable by group or others$' gw
put ow "$GOOD" 0646
refuse "world-writable profile" 'ow: profile .* is writable by group or others$' ow
chmod 0775 "$STORE"
refuse "group-writable store folder" "t: folder $STORE is writable by group or others\$" t
chmod 0757 "$STORE"
refuse "world-writable store folder" "t: folder $STORE is writable by group or others\$" t
chmod 0755 "$STORE"
chmod 1777 "$STORE_TOP"
refuse "world-writable parent folder (even sticky)" "t: folder $STORE_TOP is writable by group or others\$" t
chmod 0755 "$STORE_TOP"
chown "$SF_UID" "$STORE"
refuse "store folder owned by the user" "t: folder $STORE is not owned by root\$" t
chown root "$STORE"
put private "$GOOD" 0600
refuse "a profile the caller cannot read (read with the caller's rights)" \
	'private: cannot open .*: Permission denied$' private

# --- links and file types ------------------------------------------------------
ln -s "$STORE/t.bin" "$STORE/sym.bin"
refuse "symlinked profile" 'sym: .*/sym\.bin is a symlink$' sym
mv "$STORE" "$STORE_TOP/real"
ln -s real "$STORE"
refuse "symlinked store folder" "t: $STORE is not a folder \\(symlinks are not followed\\)\$" t
rm "$STORE"
mv "$STORE_TOP/real" "$STORE"
mkdir -m 0755 "$STORE_TOP/linked" "$STORE_TOP/linked/real"
install -m 0644 "$GOOD" "$STORE_TOP/linked/real/t.bin"
ln -s real "$STORE_TOP/linked/dir"
expect_exit 0 "root, --profile-dir: honoured" "$L" --profile-dir "$STORE_TOP/linked/real" t -- "$TRY" syscall getpid
refuse "root, --profile-dir through a symlink" 'dir is not a folder \(symlinks are not followed\)$' \
	as=root --profile-dir "$STORE_TOP/linked/dir" t
refuse "root, --profile-dir with .." "must not contain '.' or '..'" \
	as=root --profile-dir "$STORE_TOP/linked/real/../real" t
ln "$STORE/t.bin" "$STORE/hard.bin"
refuse "hard-linked profile (two links)" 'hard: profile .* has more than one link$' hard
rm "$STORE/hard.bin"
mkfifo -m 0644 "$STORE/fifo.bin"
refuse "FIFO in the store (and no hang)" 'fifo: .*/fifo\.bin is not a regular file$' fifo
mknod -m 0644 "$STORE/dev.bin" c 1 3
refuse "device in the store" 'dev: .*/dev\.bin is not a regular file$' dev
mkdir -m 0755 "$STORE/dir.bin"
refuse "folder in the store" 'dir: .*/dir\.bin is not a regular file$' dir
mkfifo -m 0666 "$P/fifo"
refuse "FIFO as a profile path (and no hang)" 'fifo: profile file is not a regular file$' "$P/fifo"
refuse "device as a profile path" '/dev/null: profile file is not a regular file$' /dev/null
# One byte over BLOB_MAX_SIZE (82 112: two full programs and full bindings).
head -c 82113 /dev/zero >"$P/huge"
refuse "oversized profile file" 'huge: profile file is larger than a profile can be$' "$P/huge"
put huge "$P/huge"
refuse "oversized profile in the store" 'huge: .* is larger than a profile can be$' huge

# --- names ----------------------------------------------------------------------
refuse "name ." '^sysfence-launch: \.: invalid profile name' .
refuse "name .." '^sysfence-launch: \.\.: invalid profile name' ..
refuse "name with a space" 'invalid profile name' 'a b'
refuse "name starting with -" "unknown option '-x'" -x
refuse "name longer than 255 bytes" 'invalid profile name' "$(printf 'a%.0s' $(seq 256))"
# NAME.bin must fit NAME_MAX (255): 251 bytes is the longest name, and the
# compiler's --out-dir writes exactly the names the launcher loads.
long251=$(printf 'n%.0s' $(seq 251))
long252=${long251}n
refuse "a 252-byte name (NAME.bin would not fit a file name)" \
	'invalid profile name \(want .*, at most 251 bytes: NAME\.bin must fit a file name\)$' "$long252"
mkdir -m 0755 "$P/long" "$P/long-out"
cp "$P/t.pol" "$P/long/$long251"
cp "$P/t.pol" "$P/long/$long252"
"$SF_COMPILE" -q --out-dir "$P/long-out" "$P/long/$long251" "$P/long/$long252" 2>"$T/cerr"
expect_grep "$T/cerr" "$long252: its profile name is longer than 251 bytes, the longest sysfence-launch loads" \
	"compiler --out-dir: a 252-byte name is refused with the launcher's limit"
if [ -f "$P/long-out/$long251.bin" ] && [ ! -e "$P/long-out/$long252.bin" ]; then
	ok "compiler --out-dir: writes the 251-byte name (its temporary fits too), not the 252-byte one"
else
	not_ok "compiler --out-dir: long names"
	ls -a "$P/long-out" | awk '{ print length($0) }' | sed 's/^/    | /'
fi
install -o root -g root -m 0644 "$P/long-out/$long251.bin" "$STORE/$long251.bin"
rm -f "$W/ran"
expect_exit 0 "a 251-byte name loads" as_user "$L" "$long251" -- "$TRY" touch "$W/ran"
rm -f "$STORE/$long251.bin"
refuse "--profile-dir from a non-root caller" '^sysfence-launch: --profile-dir is only honoured for root$' \
	--profile-dir "$STORE_TOP/linked/real" t
refuse "--profile-dir must be absolute" 'absolute path' as=root --profile-dir relative t

# --- contents --------------------------------------------------------------------
# bad NAME: a damaged copy of the good blob, in the store.
bad() { install -o root -g root -m 0644 "$P/$1" "$STORE/$1.bin"; }
head -c 100 "$GOOD" >"$P/trunc-header"; bad trunc-header
refuse "truncated in the header" 'trunc-header: truncated profile$' trunc-header
head -c $((SIZE - 8)) "$GOOD" >"$P/trunc"; bad trunc
refuse "truncated by one instruction" 'trunc: truncated profile$' trunc
: >"$P/empty"; bad empty
refuse "empty file" 'empty: truncated profile$' empty
cp "$GOOD" "$P/flip"
printf '\x01' | dd of="$P/flip" bs=1 seek=$((SIZE - 3)) conv=notrunc status=none
cmp -s "$GOOD" "$P/flip" && printf '\x02' | dd of="$P/flip" bs=1 seek=$((SIZE - 3)) conv=notrunc status=none
bad flip
refuse "flipped byte in a program (digest)" 'flip: profile digest mismatch' flip
cp "$GOOD" "$P/flip-header"
printf 'X' | dd of="$P/flip-header" bs=1 seek=140 conv=notrunc status=none
bad flip-header
refuse "changed header byte (digest)" 'flip-header: (profile digest mismatch|invalid profile header)' flip-header
cp "$GOOD" "$P/magic"; printf 'X' | dd of="$P/magic" bs=1 seek=0 conv=notrunc status=none; bad magic
refuse "wrong magic" 'magic: not a sysfence profile \(bad magic\)$' magic
cp "$GOOD" "$P/version"; printf '\x03' | dd of="$P/version" bs=1 seek=8 conv=notrunc status=none; bad version
refuse "wrong format version" 'version: profile written for another format version: recompile it with this sysfence-compile$' version
# A real format-1 blob (sysfence 0.1, tests/policies/format1.bin): refused, never loaded.
cp "$SF_ROOT/tests/policies/format1.bin" "$P/format1"; bad format1
refuse "a format-1 profile from sysfence 0.1" 'format1: profile written for another format version: recompile it' format1
printf 'SECRET-CONTENT-1234 root:x:0:0\n' >"$P/secret"
refuse "not a profile, contents never echoed" 'secret: (truncated profile|not a sysfence profile)' "$P/secret"
expect_no_grep "$T/err" 'SECRET|root:x' "errors never echo file contents"
refuse "root-only file by path, read as the caller" '/etc/shadow: cannot open: Permission denied$' /etc/shadow
for mode in oversize errno0 usernotif badjump noarch; do
	"$SF_HELPERS/sf-forge" "$mode" "$GOOD" "$P/$mode" && bad "$mode"
done
refuse "oversized program (BPF_MAXINSNS + 1, valid digest)" \
	'oversize: profile larger than the format allows$' oversize
refuse "ERRNO(0) fake success (valid digest)" 'errno0: invalid BPF program in profile: .*forbidden return action' errno0
refuse "USER_NOTIF action (valid digest)" 'usernotif: invalid BPF program in profile: .*forbidden return action' usernotif
refuse "jump out of the program (valid digest)" 'badjump: invalid BPF program in profile: .*jump out of the program' badjump
refuse "no architecture check first (valid digest)" 'noarch: invalid BPF program in profile: .*architecture' noarch
refuse "another architecture only (--arch aarch64)" \
	'a64: profile not compiled for this architecture \(x86_64\)$' a64
refuse "same refusals for a path profile" 'flip: profile digest mismatch' "$P/flip"

# --- the command line ----------------------------------------------------------------
rm -f "$W/ran"
expect_exit 125 "missing '--'" as_user "$L" t "$TRY" touch "$W/ran"
expect_grep "$T/err" "expected '--' after PROFILE" "missing '--': says so"
expect_exit 125 "missing PROGRAM" as_user "$L" t --
expect_exit 125 "missing PROFILE" as_user "$L"
expect_exit 125 "--wait out of range" as_user "$L" --wait 601 t -- "$TRY" touch "$W/ran"
expect_exit 125 "--wait not a number" as_user "$L" --wait 1s t -- "$TRY" touch "$W/ran"
expect_exit 125 "--wait twice" as_user "$L" --wait 1 --wait 1 t -- "$TRY" touch "$W/ran"
expect_exit 125 "options after PROFILE" as_user "$L" t --wait 1 -- "$TRY" touch "$W/ran"
expect_exit 125 "--features with other arguments" as_user "$L" --features t -- "$TRY" touch "$W/ran"
expect_exit 125 "argc == 0 (CVE-2021-4034 setup)" \
	as_user "$SF_HELPERS/sf-noargv" "$L" t -- "$TRY" touch "$W/ran"
if [ -e "$W/ran" ]; then not_ok "command line: a program ran"; else ok "command line: no program ever ran"; fi
expect_exit 125 "not setuid: a store profile needs setuid root" \
	as_user "$B/launch-nosuid" t -- "$TRY" touch "$W/ran"
expect_grep "$T/err" '^sysfence-launch: t: not running as setuid root' "not setuid: says why"
expect_exit 0 "SYSFENCE_DEBUG changes nothing but verbosity" \
	env SYSFENCE_DEBUG=1 setpriv --reuid=$SF_UID --regid=$SF_GID --clear-groups "$L" t -- "$TRY" syscall getpid
expect_grep "$T/err" '^sysfence-launch: t: mode=enforce' "SYSFENCE_DEBUG=1 explains the load"

# --- profiles that would stop the launcher after loading: 126, never a crash -----
# After the attach the launcher still makes the exec, and on failure writes
# one line and exits: a profile denying one of these is refused before
# anything is loaded (exit 126, one line naming the call).
# deny NAME CALL...: the base policy without CALLs, into the store.
deny() {
	local name=$1 re
	shift
	re=$(printf '%s|' "$@")
	{ base_policy | grep -Evx "${re%|}"; printf '%s\n' "${SANITIZER_RULES[@]}"; } >"$P/$name.pol"
	store "$name" 2>/dev/null || not_ok "compile $name"
}
deny noexit exit_group
deny nowrite write
deny nothing execve exit_group write # exec and both ways out denied: used to be SIGSEGV (139)
# cannot NAME CALL
cannot() {
	rm -f "$W/ran"
	as_user "$L" "$1" -- "$TRY" touch "$W/ran" >"$T/out" 2>"$T/err"
	local rc=$?
	if [ $rc -eq 126 ] && [ ! -e "$W/ran" ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
		grep -Eq "^sysfence-launch: $1: cannot run $TRY: the profile denies $2 \(ERRNO\(EPERM\)\), which the launcher makes after loading it\$" "$T/err"; then
		ok "refused with 126: a profile that denies $2 ($1)"
	else
		not_ok "a profile that denies $2 ($1): exit $rc, marker $([ -e "$W/ran" ] && echo present || echo absent)"
		show "$T/err"
	fi
}
cannot noexit exit_group
cannot nowrite write
cannot nothing execve
expect_exit 126 "the same refusal for a path profile, never 139" as_user "$L" "$P/nothing.bin" -- "$TRY" touch "$W/ran"
expect_exit 126 "and for a root caller" "$L" nothing -- "$TRY" touch "$W/ran"
if [ -e "$W/ran" ]; then not_ok "a refused profile ran the program"; else ok "no refused profile ever ran the program"; fi

# bash completion for sysfence-compile(1) and sysfence-launch(1)   -*- shell-script -*-
#
# Installed as $(DATADIR)/bash-completion/completions/sysfence-compile and
# .../sysfence-launch (the same file twice: bash-completion loads it by the
# command's name); or source it from ~/.bashrc.  Works with or without the
# bash-completion package.
#
#   sysfence-compile   options, --arch names, policies (*.policy) as INPUT,
#                      blobs (*.bin) as OUTPUT and for --disasm/--diff,
#                      every syscall name after --explain POLICY (from
#                      sysfence-compile --syscalls),
#                      profiles (*.json) for --from-oci, capability names
#                      after --caps (a comma-separated list), and after
#                      --learn ... -- the program (executables only), then
#                      its arguments as files
#   sysfence-launch    options, profile names from the trusted store (the
#                      one --profile-dir names, else the one the launcher
#                      was built with, from `sysfence-launch --features`),
#                      blob files for a PROFILE with a '/', and after "--"
#                      the program (executables only) and its arguments.

# _sysfence_files CUR EXT...: folders, and files ending in .EXT; every file
# when none matches (a policy need not be called *.policy).
_sysfence_files() {
	local cur=$1 ext
	local -a files=() more=()
	shift
	compopt -o filenames 2>/dev/null
	for ext in "$@"; do
		mapfile -t more < <(compgen -f -X "!*.$ext" -- "$cur")
		files+=("${more[@]}")
	done
	if [ $# -eq 0 ] || [ ${#files[@]} -eq 0 ]; then
		mapfile -t files < <(compgen -f -- "$cur")
	fi
	# Folders too; a folder may also be among the files: each once.
	mapfile -t COMPREPLY < <({ compgen -d -- "$cur"; printf '%s\n' "${files[@]}"; } | sed '/^$/d' | sort -u)
}

# _sysfence_words CUR WORD...: the WORDs that start with CUR (no word
# splitting, no globbing: safe for any name).
_sysfence_words() {
	local cur=$1 w
	shift
	COMPREPLY=()
	for w in "$@"; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("$w")
	done
}

# _sysfence_executables CUR: programs on PATH starting with CUR, or the
# files and folders of a CUR with a '/'.
_sysfence_executables() {
	local cur=$1 d f
	COMPREPLY=()
	if [[ $cur == */* ]]; then
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
	fi
	local IFS=:
	for d in $PATH; do
		[ -n "$d" ] && [ -d "$d" ] || continue
		for f in "$d/$cur"*; do
			[ -f "$f" ] && [ -x "$f" ] && COMPREPLY+=("${f##*/}")
		done
	done
	unset IFS
	mapfile -t COMPREPLY < <(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort -u)
}

_sysfence_compile() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local i w tool="" npos=0 dashdash=""
	local -a pos=()
	COMPREPLY=()

	# Which tool, and the positional words before the cursor.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--explain | --disasm | --from-log | --report | --diff | --list-groups | --from-oci | --learn) tool=${w#--} ;;
		--)
			[ "$tool" = learn ] && dashdash=$i && break
			;;
		--arch | --out-dir | -j | --jobs | --policy | --comm | --exe | --pid | --include-dir | --caps | --kernel | -o | --output)
			((i++))
			;;
		-*) ;;
		*) pos+=("$w") ;;
		esac
	done
	npos=${#pos[@]}

	# --learn ... -- PROGRAM ARGS: a program to run, then its arguments.
	if [ -n "$dashdash" ]; then
		if [ "$COMP_CWORD" -eq $((dashdash + 1)) ]; then
			_sysfence_executables "$cur"
		else
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		return
	fi

	case $prev in
	--arch)
		_sysfence_words "$cur" x86_64 x86 aarch64 arm riscv64 ppc64le ppc64 ppc s390x s390 \
			mips mipsel mips64 mipsel64 mips64n32 mipsel64n32 parisc parisc64
		return
		;;
	--out-dir | --include-dir)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
		;;
	-j | --jobs)
		_sysfence_words "$cur" "$(nproc 2>/dev/null || echo 1)"
		return
		;;
	--policy)
		_sysfence_files "$cur" policy pol
		return
		;;
	-o | --output)
		_sysfence_files "$cur" policy pol
		return
		;;
	--exe)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	--comm | --pid)
		return
		;;
	--caps)
		# CAP,CAP,...: the last name of the list (CAP_ optional, as Docker).
		local head="" c
		local -a caps=()
		[[ $cur == *,* ]] && head=${cur%,*},
		for c in AUDIT_CONTROL AUDIT_READ AUDIT_WRITE BLOCK_SUSPEND BPF CHECKPOINT_RESTORE \
			CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID IPC_LOCK IPC_OWNER KILL LEASE \
			LINUX_IMMUTABLE MAC_ADMIN MAC_OVERRIDE MKNOD NET_ADMIN NET_BIND_SERVICE \
			NET_BROADCAST NET_RAW PERFMON SETFCAP SETGID SETPCAP SETUID SYSLOG SYS_ADMIN \
			SYS_BOOT SYS_CHROOT SYS_MODULE SYS_NICE SYS_PACCT SYS_PTRACE SYS_RAWIO \
			SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG WAKE_ALARM; do
			caps+=("${head}CAP_$c")
		done
		[ -n "$head" ] || caps+=(ALL)
		_sysfence_words "$cur" "${caps[@]}"
		compopt -o nospace 2>/dev/null
		return
		;;
	--kernel)
		local k
		k=$(uname -r 2>/dev/null)
		[[ $k =~ ^[0-9]+\.[0-9]+ ]] && _sysfence_words "$cur" "${BASH_REMATCH[0]}"
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		case $tool in
		explain) _sysfence_words "$cur" --arch --json --quiet --help ;;
		disasm) _sysfence_words "$cur" --raw --help ;;
		report | diff) _sysfence_words "$cur" --arch --raw --json --help ;;
		from-log) _sysfence_words "$cur" --comm --exe --pid --policy --as-patch --json --strict --quiet --help ;;
		list-groups) ;;
		from-oci) _sysfence_words "$cur" --arch --caps --kernel --strict --quiet --help ;;
		learn) _sysfence_words "$cur" --policy --as-patch --output --arch --include-dir --quiet --help -- ;;
		*) _sysfence_words "$cur" --arch --strict --check --raw --out-dir --jobs --force --json --quiet \
			--include-dir --version --help --explain --disasm --report --diff --from-log \
			--list-groups --from-oci --learn ;;
		esac
		return
	fi

	case $tool in
	explain)
		if [ "$npos" -eq 0 ]; then
			_sysfence_files "$cur" policy pol bin
		elif [ "$npos" -eq 1 ]; then
			# SYSCALL: every syscall of the architectures (--arch, else the
			# native ones), as the compiler knows them.
			local -a names archs=()
			for ((i = 1; i < COMP_CWORD; i++)); do
				[ "${COMP_WORDS[i]}" = --arch ] && archs+=(--arch "${COMP_WORDS[i + 1]}")
			done
			mapfile -t names < <("${COMP_WORDS[0]}" --syscalls "${archs[@]}" 2>/dev/null)
			_sysfence_words "$cur" "${names[@]}"
		fi
		;;
	disasm) _sysfence_files "$cur" bin ;;
	list-groups)
		# GROUP: the names the compiler itself lists.
		local -a groups
		[ "$npos" -eq 0 ] &&
			mapfile -t groups < <("${COMP_WORDS[0]}" --list-groups 2>/dev/null | cut -d' ' -f1)
		_sysfence_words "$cur" "${groups[@]}"
		;;
	diff | report) _sysfence_files "$cur" bin policy pol ;;
	from-log)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		;;
	learn) COMPREPLY=(--) ;; # the program comes after "--"
	from-oci)
		# FILE.json, then the policy to write.
		if [ "$npos" -eq 0 ]; then
			_sysfence_files "$cur" json
		elif [ "$npos" -eq 1 ]; then
			_sysfence_files "$cur" policy pol
		fi
		;;
	*)
		# INPUT... (policies); the second of exactly two is OUTPUT (a blob),
		# unless --out-dir or --check takes every word as an INPUT.
		local batch=""
		for ((i = 1; i < COMP_CWORD; i++)); do
			case ${COMP_WORDS[i]} in --out-dir | --check) batch=1 ;; esac
		done
		if [ -z "$batch" ] && [ "$npos" -eq 1 ]; then
			_sysfence_files "$cur" bin
		else
			_sysfence_files "$cur" policy pol
		fi
		;;
	esac
}

# _sysfence_store LAUNCHER [DIR]: the trusted store: DIR (from --profile-dir),
# else what LAUNCHER --features reports (cached), else the default.
_sysfence_store() {
	if [ -n "${2:-}" ]; then
		printf '%s\n' "$2"
		return
	fi
	if [ "${_sysfence_store_for:-}" != "$1" ]; then
		_sysfence_store_for=$1
		_sysfence_store_dir=$("$1" --features 2>/dev/null | sed -n 's/^profile_dir=//p')
	fi
	printf '%s\n' "${_sysfence_store_dir:-/var/lib/sysfence/profiles}"
}

_sysfence_launch() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local i w profile="" dir="" dashdash=0
	COMPREPLY=()

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--)
			dashdash=$((i + 1))
			break
			;;
		--wait) ((i++)) ;;
		--profile-dir)
			((i++))
			dir=${COMP_WORDS[i]}
			;;
		-*) ;;
		*) [ -n "$profile" ] || profile=$w ;;
		esac
	done

	# After "--": the program, then its own arguments.  The launcher execs
	# the program, so only executables: no shell keyword, builtin, alias
	# or function (compgen -c and _command_offset offer those).
	if [ "$dashdash" -gt 0 ]; then
		if [ "$COMP_CWORD" -eq "$dashdash" ]; then
			compopt -o filenames 2>/dev/null
			_sysfence_executables "$cur"
		elif declare -F _command_offset >/dev/null; then
			_command_offset "$dashdash"
		else
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		return
	fi

	case $prev in
	--wait)
		_sysfence_words "$cur" 5 10 30 60
		return
		;;
	--profile-dir)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
		;;
	esac

	if [ -n "$profile" ]; then
		_sysfence_words "$cur" --
		return
	fi
	if [[ $cur == -* ]]; then
		_sysfence_words "$cur" --wait --profile-dir --features --help --version
		return
	fi
	if [[ $cur == */* || $cur == .* || $cur == '~'* ]]; then
		# A profile given by path: a blob file.
		_sysfence_files "$cur" bin
		return
	fi
	local store f
	local -a names=()
	store=$(_sysfence_store "${COMP_WORDS[0]}" "$dir")
	for f in "$store"/*.bin; do
		[ -f "$f" ] || continue
		f=${f##*/}
		names+=("${f%.bin}")
	done
	_sysfence_words "$cur" "${names[@]}"
}

complete -F _sysfence_compile sysfence-compile
complete -F _sysfence_launch sysfence-launch

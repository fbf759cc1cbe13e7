# bash completion for sysfence-compile(1) and sysfence-launch(1)   -*- shell-script -*-
#
# Installed as $(DATADIR)/bash-completion/completions/sysfence-compile and
# .../sysfence-launch (the same file twice: bash-completion loads it by the
# command's name); or source it from ~/.bashrc.  Works with or without the
# bash-completion package.
#
#   sysfence-compile   options, --arch names, policies (*.policy) as INPUT,
#                      blobs (*.bin) as OUTPUT and for --disasm/--diff,
#                      the policy's syscall names after --explain POLICY,
#                      profiles (*.json) for --from-oci, capability names
#                      after --caps (a comma-separated list)
#   sysfence-launch    options, profile names from the trusted store (the
#                      one --profile-dir names, else the one the launcher
#                      was built with, from `sysfence-launch --features`),
#                      blob files for a PROFILE with a '/', and after "--"
#                      the program and its own arguments.

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

_sysfence_compile() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local i w tool="" npos=0
	local -a pos=()
	COMPREPLY=()

	# Which tool, and the positional words before the cursor.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--explain | --disasm | --from-log | --report | --diff | --from-oci) tool=${w#--} ;;
		--arch | --out-dir | -j | --jobs | --policy | --comm | --exe | --pid | --caps | --kernel) ((i++)) ;;
		-*) ;;
		*) pos+=("$w") ;;
		esac
	done
	npos=${#pos[@]}

	case $prev in
	--arch)
		_sysfence_words "$cur" x86_64 x86 aarch64 arm riscv64 ppc64le ppc64 ppc s390x s390 \
			mips mipsel mips64 mipsel64 mips64n32 mipsel64n32 parisc parisc64
		return
		;;
	--out-dir)
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
		explain) _sysfence_words "$cur" --arch --quiet --help ;;
		disasm) _sysfence_words "$cur" --raw --help ;;
		report | diff) _sysfence_words "$cur" --arch --raw --help ;;
		from-log) _sysfence_words "$cur" --comm --exe --pid --policy --as-patch --strict --quiet --help ;;
		from-oci) _sysfence_words "$cur" --arch --caps --kernel --strict --quiet --help ;;
		*) _sysfence_words "$cur" --arch --strict --check --raw --out-dir --jobs --force --quiet \
			--version --help --explain --disasm --report --diff --from-log --from-oci ;;
		esac
		return
	fi

	case $tool in
	explain)
		if [ "$npos" -eq 0 ]; then
			_sysfence_files "$cur" policy pol bin
		elif [ "$npos" -eq 1 ] && [ -r "${pos[0]}" ] && [ "${pos[0]%.bin}" = "${pos[0]}" ]; then
			# SYSCALL: the names the policy mentions.
			local -a names
			mapfile -t names < <(sed -n 's/#.*//; s/^[[:space:]]*~\{0,1\}\([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' \
				"${pos[0]}" 2>/dev/null | sort -u)
			_sysfence_words "$cur" "${names[@]}"
		fi
		;;
	disasm) _sysfence_files "$cur" bin ;;
	diff | report) _sysfence_files "$cur" bin policy pol ;;
	from-log)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		;;
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

	# After "--": the program, then its own arguments.
	if [ "$dashdash" -gt 0 ]; then
		if declare -F _command_offset >/dev/null; then
			_command_offset "$dashdash"
		elif [ "$COMP_CWORD" -eq "$dashdash" ]; then
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -c -- "$cur")
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

/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_COMPILE_ARGKINDS_H
#define SYSFENCE_COMPILE_ARGKINDS_H

#include <stdbool.h>

/*
 * What a syscall argument is, beyond its width (argtypes.h): a pointer, a
 * size, a descriptor, or a scalar a policy restricts (flags, a command, a
 * family, an id, a mode, a signal), and for scalars the prefix of the
 * named constants its values have (AF_, SOCK_, O_, ...).  --learn narrows
 * the scalars to the values a run used and leaves the rest '-'.  A name
 * or argument the table lacks is ARGKIND_UNKNOWN: never narrowed on its
 * own, which can only make a learned line wider, never wrong.
 */
enum argkind {
	ARGKIND_UNKNOWN = 0,
	ARGKIND_PTR,   /* an address: differs from run to run, never compared */
	ARGKIND_SIZE,  /* a length, count or offset */
	ARGKIND_FD,    /* a descriptor (or dirfd: AT_FDCWD) */
	ARGKIND_PID,   /* a process, thread or process group id */
	ARGKIND_DATA,  /* a value passed through: exit status, timeout, ioctl arg */
	ARGKIND_FLAGS, /* a set of bits (O_*, MAP_*, CLONE_*) */
	ARGKIND_ENUM,  /* one of a list: command, family, option, resource */
	ARGKIND_ID,    /* a uid or gid (-1: unchanged) */
	ARGKIND_MODE,  /* permission and file type bits (octal) */
	ARGKIND_SIG,   /* a signal number */
};

struct argkind_info {
	enum argkind kind;
	/*
	 * Prefixes of the constants naming its values, separated by ',';
	 * NULL when no family of names fits (then values print as numbers).
	 */
	const char *prefix;
};

/* The prefixes of signal names: one name for each (SIGCHLD, not SIGCLD). */
#define ARGKINDS_SIGNALS "SIG,!SIG_,!SIGCLD,!SIGPOLL,!SIGIOT,!SIGUNUSED"

/* The argument's kind; {ARGKIND_UNKNOWN, NULL} for what the table lacks. */
struct argkind_info argkinds_get(const char *syscall, unsigned arg);

/*
 * Is it a scalar a learned line narrows whatever the policy says (flags,
 * enum, id, mode, signal)?  Descriptors, ids of processes, data and sizes
 * vary from run to run and are narrowed only where a policy compares them.
 */
bool argkinds_narrows(enum argkind k);

#endif

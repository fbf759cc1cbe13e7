// SPDX-License-Identifier: MIT
/*
 * What each syscall argument is: a pointer, a size, a descriptor, or a
 * scalar a policy restricts, with the family of named constants its values
 * come from.  argtypes.c says how many bits the kernel reads of an
 * argument; this table says what the bits mean, which is what --learn
 * needs to turn a recorded call into a policy line: `socket AF_INET
 * SOCK_STREAM IPPROTO_IP`, not `socket 2 1 0`, and never a line that
 * compares an address (different in every run, with ASLR).
 *
 * Where it comes from: the parameter names and types of the SYSCALL_DEFINE
 * of each call in Linux 6.x (include/linux/syscalls.h) and the man pages
 * (which flags each takes), the same sources as argtypes.c.  Only calls a
 * program commonly makes are listed; the rest read as ARGKIND_UNKNOWN,
 * which --learn leaves '-' (a wider line, never a wrong one).  Choices:
 *
 *  - fcntl's, ioctl's and prctl's third and later arguments are DATA: their
 *    meaning depends on the command, and glibc passes whatever the
 *    register held for the commands that take none.
 *  - exit statuses, timeouts, eventfd's initial value, listen's backlog
 *    and futex's values are DATA: a rerun passes others.  So is futex's
 *    operation: a thread waits (FUTEX_WAIT_*) only when it finds a lock
 *    taken, so which operations a run makes depends on timing; narrowed,
 *    a learned policy killed a rerun of the same program now and then.
 *  - setsockopt/getsockopt's option name is ENUM without a prefix: its
 *    names depend on the level (SO_*, TCP_*, IPV6_*), so it prints as a
 *    number.
 *  - On 32-bit ABIs a 64-bit parameter takes two slots (pread64,
 *    fadvise64_64, ...): the table follows the 64-bit layout, and the
 *    slots it misplaces there are sizes and offsets either way.
 *
 * tests/unit/test_argkinds.c checks the order, that every name is a
 * syscall, and that the kinds agree with argtypes' widths.
 */
#include "sysfence/compile/argkinds.h"

#include <stdlib.h>
#include <string.h>

#define ARGKINDS_MAX_ARGS 6

struct argkinds_entry {
	const char *name;
	struct argkind_info arg[ARGKINDS_MAX_ARGS];
};

/* Short names so that each row reads like the prototype. */
#define P                                                                                          \
	{                                                                                          \
		ARGKIND_PTR, NULL                                                                  \
	}
#define Z                                                                                          \
	{                                                                                          \
		ARGKIND_SIZE, NULL                                                                 \
	}
#define D                                                                                          \
	{                                                                                          \
		ARGKIND_FD, NULL                                                                   \
	}
#define I                                                                                          \
	{                                                                                          \
		ARGKIND_PID, NULL                                                                  \
	}
#define V                                                                                          \
	{                                                                                          \
		ARGKIND_DATA, NULL                                                                 \
	}
#define U                                                                                          \
	{                                                                                          \
		ARGKIND_ID, NULL                                                                   \
	}
#define M                                                                                          \
	{                                                                                          \
		ARGKIND_MODE, "S_I"                                                                \
	}
#define S                                                                                          \
	{                                                                                          \
		ARGKIND_SIG, ARGKINDS_SIGNALS                                                      \
	}
#define L(prefix)                                                                                  \
	{                                                                                          \
		ARGKIND_FLAGS, prefix                                                              \
	}
#define E(prefix)                                                                                  \
	{                                                                                          \
		ARGKIND_ENUM, prefix                                                               \
	}
/* fcntl's commands: F_RDLCK, ... are lock types, F_SEAL_* seals, F_OK an access mode */
#define FCNTL_CMDS "F_,!F_RDLCK,!F_WRLCK,!F_UNLCK,!F_EXLCK,!F_SHLCK,!F_SEAL_,!F_OK"

/* Sorted by strcmp() order of the name: looked up by binary search. */
static const struct argkinds_entry argkinds_table[] = {
	{ "_llseek", { D, Z, Z, P, E("SEEK_") } },
	{ "_newselect", { Z, P, P, P, P } },
	{ "accept", { D, P, P } },
	{ "accept4", { D, P, P, L("SOCK_") } },
	{ "access", { P, L("R_OK,W_OK,X_OK,F_OK") } },
	{ "arch_prctl", { E("ARCH_"), V } },
	{ "bind", { D, P, Z } },
	{ "brk", { P } },
	{ "capget", { P, P } },
	{ "capset", { P, P } },
	{ "chdir", { P } },
	{ "chmod", { P, M } },
	{ "chown", { P, U, U } },
	{ "chown32", { P, U, U } },
	{ "chroot", { P } },
	{ "clock_getres", { E("CLOCK_"), P } },
	{ "clock_gettime", { E("CLOCK_"), P } },
	{ "clock_gettime64", { E("CLOCK_"), P } },
	{ "clock_nanosleep", { E("CLOCK_"), L("TIMER_"), P, P } },
	{ "clock_nanosleep_time64", { E("CLOCK_"), L("TIMER_"), P, P } },
	{ "clone", { L("CLONE_"), P, P, P, P } },
	{ "clone3", { P, Z } },
	{ "close", { D } },
	{ "close_range", { D, D, L("CLOSE_RANGE_") } },
	{ "connect", { D, P, Z } },
	{ "copy_file_range", { D, P, D, P, Z, L(NULL) } },
	{ "creat", { P, M } },
	{ "dup", { D } },
	{ "dup2", { D, D } },
	{ "dup3", { D, D, L("O_CLOEXEC") } },
	{ "epoll_create", { Z } },
	{ "epoll_create1", { L("EPOLL_CLOEXEC") } },
	{ "epoll_ctl", { D, E("EPOLL_CTL_"), D, P } },
	{ "epoll_pwait", { D, P, Z, V, P, Z } },
	{ "epoll_pwait2", { D, P, Z, P, P, Z } },
	{ "epoll_wait", { D, P, Z, V } },
	{ "eventfd", { V } },
	{ "eventfd2", { V, L("EFD_,O_CLOEXEC,O_NONBLOCK") } },
	{ "execve", { P, P, P } },
	{ "execveat", { D, P, P, P, L("AT_") } },
	{ "exit", { V } },
	{ "exit_group", { V } },
	{ "faccessat", { D, P, L("R_OK,W_OK,X_OK,F_OK") } },
	{ "faccessat2", { D, P, L("R_OK,W_OK,X_OK,F_OK"), L("AT_,!AT_REMOVEDIR") } },
	{ "fadvise64", { D, Z, Z, E("POSIX_FADV_") } },
	{ "fadvise64_64", { D, Z, Z, Z, Z, Z } },
	{ "fallocate", { D, L("FALLOC_FL_"), Z, Z } },
	{ "fchdir", { D } },
	{ "fchmod", { D, M } },
	{ "fchmodat", { D, P, M } },
	{ "fchmodat2", { D, P, M, L("AT_") } },
	{ "fchown", { D, U, U } },
	{ "fchown32", { D, U, U } },
	{ "fchownat", { D, P, U, U, L("AT_") } },
	{ "fcntl", { D, E(FCNTL_CMDS), V } },
	{ "fcntl64", { D, E(FCNTL_CMDS), V } },
	{ "fdatasync", { D } },
	{ "fgetxattr", { D, P, P, Z } },
	{ "flistxattr", { D, P, Z } },
	{ "flock", { D, L("LOCK_") } },
	{ "fremovexattr", { D, P } },
	{ "fsetxattr", { D, P, P, Z, L("XATTR_") } },
	{ "fstat", { D, P } },
	{ "fstat64", { D, P } },
	{ "fstatat64", { D, P, P, L("AT_") } },
	{ "fstatfs", { D, P } },
	{ "fstatfs64", { D, Z, P } },
	{ "fsync", { D } },
	{ "ftruncate", { D, Z } },
	{ "ftruncate64", { D, Z, Z } },
	{ "futex", { P, V, V, P, P, V } },
	{ "futex_time64", { P, V, V, P, P, V } },
	{ "getcwd", { P, Z } },
	{ "getdents", { D, P, Z } },
	{ "getdents64", { D, P, Z } },
	{ "getgroups", { Z, P } },
	{ "getgroups32", { Z, P } },
	{ "getitimer", { E("ITIMER_"), P } },
	{ "getpeername", { D, P, P } },
	{ "getpgid", { I } },
	{ "getpriority", { E("PRIO_"), I } },
	{ "getrandom", { P, Z, L("GRND_") } },
	{ "getresgid", { P, P, P } },
	{ "getresgid32", { P, P, P } },
	{ "getresuid", { P, P, P } },
	{ "getresuid32", { P, P, P } },
	{ "getrlimit", { E("RLIMIT_"), P } },
	{ "getrusage", { E("RUSAGE_"), P } },
	{ "getsid", { I } },
	{ "getsockname", { D, P, P } },
	{ "getsockopt", { D, E("SOL_,IPPROTO_"), E(NULL), P, P } },
	{ "gettimeofday", { P, P } },
	{ "getxattr", { P, P, P, Z } },
	{ "inotify_add_watch", { D, P, L("IN_") } },
	{ "inotify_init1", { L("IN_") } },
	{ "inotify_rm_watch", { D, V } },
	{ "ioctl", { D, E("TC,TIOC,FIO,FIC,SIOC"), V } },
	{ "ipc", { E(NULL), V, V, V, P, V } },
	{ "kill", { I, S } },
	{ "lchown", { P, U, U } },
	{ "lchown32", { P, U, U } },
	{ "lgetxattr", { P, P, P, Z } },
	{ "link", { P, P } },
	{ "linkat", { D, P, D, P, L("AT_") } },
	{ "listen", { D, V } },
	{ "listxattr", { P, P, Z } },
	{ "llistxattr", { P, P, Z } },
	{ "lseek", { D, Z, E("SEEK_") } },
	{ "lstat", { P, P } },
	{ "lstat64", { P, P } },
	{ "madvise", { P, Z, E("MADV_") } },
	{ "membarrier", { E("MEMBARRIER_CMD_"), L(NULL), V } },
	{ "memfd_create", { P, L("MFD_") } },
	{ "mincore", { P, Z, P } },
	{ "mkdir", { P, M } },
	{ "mkdirat", { D, P, M } },
	{ "mknod", { P, M, V } },
	{ "mknodat", { D, P, M, V } },
	{ "mlock", { P, Z } },
	{ "mlock2", { P, Z, L("MLOCK_") } },
	{ "mlockall", { L("MCL_") } },
	{ "mmap", { P, Z, L("PROT_"), L("MAP_"), D, Z } },
	{ "mmap2", { P, Z, L("PROT_"), L("MAP_"), D, Z } },
	{ "mprotect", { P, Z, L("PROT_") } },
	{ "mremap", { P, Z, Z, L("MREMAP_"), P } },
	{ "msync", { P, Z, L("MS_ASYNC,MS_SYNC,MS_INVALIDATE") } },
	{ "munlock", { P, Z } },
	{ "munmap", { P, Z } },
	{ "nanosleep", { P, P } },
	{ "newfstatat", { D, P, P, L("AT_") } },
	{ "open", { P, L("O_"), M } },
	{ "openat", { D, P, L("O_"), M } },
	{ "openat2", { D, P, P, Z } },
	{ "pidfd_open", { I, L("PIDFD_") } },
	{ "pidfd_send_signal", { D, S, P, L(NULL) } },
	{ "pipe", { P } },
	{ "pipe2", { P, L("O_CLOEXEC,O_NONBLOCK,O_DIRECT,O_NOTIFICATION_PIPE") } },
	{ "poll", { P, Z, V } },
	{ "ppoll", { P, Z, P, P, Z } },
	{ "ppoll_time64", { P, Z, P, P, Z } },
	{ "prctl", { E("PR_"), V, V, V, V } },
	{ "pread64", { D, P, Z, Z } },
	{ "preadv", { D, P, Z, Z, Z } },
	{ "preadv2", { D, P, Z, Z, Z, L("RWF_") } },
	{ "prlimit64", { I, E("RLIMIT_"), P, P } },
	{ "pselect6", { Z, P, P, P, P, P } },
	{ "pselect6_time64", { Z, P, P, P, P, P } },
	{ "pwrite64", { D, P, Z, Z } },
	{ "pwritev", { D, P, Z, Z, Z } },
	{ "pwritev2", { D, P, Z, Z, Z, L("RWF_") } },
	{ "read", { D, P, Z } },
	{ "readahead", { D, Z, Z } },
	{ "readlink", { P, P, Z } },
	{ "readlinkat", { D, P, P, Z } },
	{ "readv", { D, P, Z } },
	{ "recvfrom", { D, P, Z, L("MSG_"), P, P } },
	{ "recvmmsg", { D, P, Z, L("MSG_"), P } },
	{ "recvmsg", { D, P, L("MSG_") } },
	{ "removexattr", { P, P } },
	{ "rename", { P, P } },
	{ "renameat", { D, P, D, P } },
	{ "renameat2", { D, P, D, P, L("RENAME_") } },
	{ "rmdir", { P } },
	{ "rseq", { P, Z, L(NULL), V } },
	{ "rt_sigaction", { S, P, P, Z } },
	{ "rt_sigpending", { P, Z } },
	{ "rt_sigprocmask", { E("SIG_"), P, P, Z } },
	{ "rt_sigqueueinfo", { I, S, P } },
	{ "rt_sigreturn", { V } },
	{ "rt_sigsuspend", { P, Z } },
	{ "rt_sigtimedwait", { P, P, P, Z } },
	{ "rt_tgsigqueueinfo", { I, I, S, P } },
	{ "sched_getaffinity", { I, Z, P } },
	{ "sched_getattr", { I, P, Z, L(NULL) } },
	{ "sched_getparam", { I, P } },
	{ "sched_getscheduler", { I } },
	{ "sched_setaffinity", { I, Z, P } },
	{ "sched_setattr", { I, P, L(NULL) } },
	{ "sched_setscheduler", { I, E("SCHED_"), P } },
	{ "select", { Z, P, P, P, P } },
	{ "sendfile", { D, D, P, Z } },
	{ "sendfile64", { D, D, P, Z } },
	{ "sendmmsg", { D, P, Z, L("MSG_") } },
	{ "sendmsg", { D, P, L("MSG_") } },
	{ "sendto", { D, P, Z, L("MSG_"), P, Z } },
	{ "set_robust_list", { P, Z } },
	{ "set_tid_address", { P } },
	{ "setfsgid", { U } },
	{ "setfsuid", { U } },
	{ "setgid", { U } },
	{ "setgid32", { U } },
	{ "setgroups", { Z, P } },
	{ "setgroups32", { Z, P } },
	{ "setitimer", { E("ITIMER_"), P, P } },
	{ "setpgid", { I, I } },
	{ "setpriority", { E("PRIO_"), I, V } },
	{ "setregid", { U, U } },
	{ "setregid32", { U, U } },
	{ "setresgid", { U, U, U } },
	{ "setresgid32", { U, U, U } },
	{ "setresuid", { U, U, U } },
	{ "setresuid32", { U, U, U } },
	{ "setreuid", { U, U } },
	{ "setreuid32", { U, U } },
	{ "setrlimit", { E("RLIMIT_"), P } },
	{ "setsockopt", { D, E("SOL_,IPPROTO_"), E(NULL), P, Z } },
	{ "setuid", { U } },
	{ "setuid32", { U } },
	{ "setxattr", { P, P, P, Z, L("XATTR_") } },
	{ "shutdown", { D, E("SHUT_") } },
	{ "sigaltstack", { P, P } },
	{ "signalfd4", { D, P, Z, L("SFD_,O_CLOEXEC,O_NONBLOCK") } },
	{ "socket", { E("AF_"), L("SOCK_"), E("IPPROTO_") } },
	{ "socketcall", { E(NULL), P } },
	{ "socketpair", { E("AF_"), L("SOCK_"), E("IPPROTO_"), P } },
	{ "splice", { D, P, D, P, Z, L("SPLICE_F_") } },
	{ "stat", { P, P } },
	{ "stat64", { P, P } },
	{ "statfs", { P, P } },
	{ "statfs64", { P, Z, P } },
	{ "statx", { D, P, L("AT_"), L("STATX_"), P } },
	{ "symlink", { P, P } },
	{ "symlinkat", { P, D, P } },
	{ "sync_file_range", { D, Z, Z, L("SYNC_FILE_RANGE_") } },
	{ "sysinfo", { P } },
	{ "tgkill", { I, I, S } },
	{ "timer_create", { E("CLOCK_"), P, P } },
	{ "timerfd_create", { E("CLOCK_"), L("TFD_,O_CLOEXEC,O_NONBLOCK") } },
	{ "timerfd_settime", { D, L("TFD_"), P, P } },
	{ "tkill", { I, S } },
	{ "truncate", { P, Z } },
	{ "umask", { M } },
	{ "uname", { P } },
	{ "unlink", { P } },
	{ "unlinkat", { D, P, L("AT_") } },
	{ "unshare", { L("CLONE_") } },
	{ "utimensat", { D, P, P, L("AT_") } },
	{ "vfork", { V } },
	{ "wait4", { I, P, L("W"), P } },
	{ "waitid", { E("P_"), I, P, L("W"), P } },
	{ "write", { D, P, Z } },
	{ "writev", { D, P, Z } },
};

#undef P
#undef Z
#undef D
#undef I
#undef V
#undef U
#undef M
#undef S
#undef L
#undef E
#undef FCNTL_CMDS

static int argkinds_cmp(const void *key, const void *elem)
{
	const struct argkinds_entry *e = elem;

	return strcmp(key, e->name);
}

struct argkind_info argkinds_get(const char *syscall, unsigned arg)
{
	const struct argkinds_entry *e;

	if (!syscall || arg >= ARGKINDS_MAX_ARGS)
		return (struct argkind_info){ ARGKIND_UNKNOWN, NULL };
	e = bsearch(syscall, argkinds_table, sizeof(argkinds_table) / sizeof(argkinds_table[0]),
		    sizeof(argkinds_table[0]), argkinds_cmp);
	return e ? e->arg[arg] : (struct argkind_info){ ARGKIND_UNKNOWN, NULL };
}

bool argkinds_narrows(enum argkind k)
{
	switch (k) {
	case ARGKIND_FLAGS:
	case ARGKIND_ENUM:
	case ARGKIND_ID:
	case ARGKIND_MODE:
	case ARGKIND_SIG:
		return true;
	case ARGKIND_UNKNOWN:
	case ARGKIND_PTR:
	case ARGKIND_SIZE:
	case ARGKIND_FD:
	case ARGKIND_PID:
	case ARGKIND_DATA:
		break;
	}
	return false;
}

/* For tests/unit/test_argkinds.c only (not part of the interface). */
size_t argkinds_test_count(void);
const char *argkinds_test_name(size_t i);

size_t argkinds_test_count(void)
{
	return sizeof(argkinds_table) / sizeof(argkinds_table[0]);
}

const char *argkinds_test_name(size_t i)
{
	return i < argkinds_test_count() ? argkinds_table[i].name : NULL;
}

// SPDX-License-Identifier: MIT
/*
 * Which syscall arguments the kernel reads as fewer than 64 bits.
 *
 * A seccomp filter sees six 64-bit argument registers, but the kernel's
 * syscall entry (SYSCALL_DEFINEn -> __se_sys_*() -> __do_sys_*()) casts each
 * register to the type declared in the SYSCALL_DEFINE before the syscall body
 * runs.  An argument declared "unsigned int cmd" therefore only ever sees the
 * low 32 bits of the register: a filter that compares all 64 bits can be
 * walked around by setting the upper half (CVE-2019-7303, snapd's
 * "ioctl - !TIOCSTI").  The compiler uses this table to compare only the bits
 * that survive the cast.
 *
 * Where the table comes from: the SYSCALL_DEFINEn() definitions of a recent
 * Linux (6.x) and the prototypes in include/linux/syscalls.h, plus the
 * arch-specific definitions for names that only exist on some architectures
 * (arch_prctl, modify_ldt, iopl, ioperm, map_shadow_stack on x86; cachectl,
 * cacheflush, sysmips on MIPS; spu_*, swapcontext, sys_debug_setcontext on
 * powerpc; s390_* on s390; arm_* and cacheflush on ARM; cacheflush on
 * parisc; riscv_hwprobe).  The table is keyed by the name libseccomp uses,
 * which is the kernel's name for the syscall table slot, not necessarily the
 * C function behind it ("sendfile" is sys_sendfile64 on x86_64, "umount2" is
 * sys_umount, "readdir" is sys_old_readdir, "fstat" is sys_newfstat, ...).
 *
 * The rules followed:
 *
 *  - The declared type of the SYSCALL_DEFINE decides, even when the body
 *    later narrows the value itself.  Example: x86_64 mmap() declares all six
 *    arguments "unsigned long" (arch/x86/kernel/sys_x86_64.c), so prot, flags
 *    and fd are 64 bits here even though fget() later reads the fd as an
 *    unsigned int.  Saying 64 where the kernel effectively reads fewer bits
 *    only weakens "!N" comparisons; saying 32 where the kernel reads 64 would
 *    let "N" match values the kernel treats differently, which is worse.
 *    readv/writev/preadv/pwritev(2)/fstat64 declare "unsigned long fd" and are
 *    64 for the same reason.
 *
 *  - Argument index = seccomp argument slot on a 64-bit architecture, where
 *    every C parameter occupies one register.  On 32-bit architectures a
 *    64-bit parameter (loff_t, u64) takes two slots and the layout differs
 *    per architecture (fadvise64_64, sync_file_range, pread64...), but there
 *    every slot is 32 bits wide anyway, so the widths cannot be wrong in a
 *    way that matters; only the "negative allowed" flag may be off by a
 *    slot, which merely decides whether "-1" is accepted as a number.
 *
 *  - Types and their widths on LP64 Linux:
 *      64, unsigned: unsigned long, size_t, pointers, u64/__u64,
 *                    aio_context_t (unsigned long), cap_user_*_t,
 *                    __sighandler_t, old_sigset_t (unsigned long).
 *      64, signed:   long, off_t (long on 64-bit), loff_t (long long),
 *                    __kernel_old_time_t (long, only behind pointers here).
 *      32, signed:   int, __s32, pid_t, clockid_t, timer_t (the kernel's
 *                    __kernel_timer_t is int, not glibc's void *),
 *                    mqd_t, key_t, key_serial_t (int32_t), rwf_t (int).
 *      32, unsigned: unsigned int, "unsigned", u32/__u32/uint32_t, qid_t
 *                    (__kernel_uid32_t), dev as "unsigned dev" in mknod,
 *                    enum landlock_rule_type (an enum: int-sized).
 *      32, id:       uid_t, gid_t (__kernel_uid32_t / __kernel_gid32_t);
 *                    unsigned, but -1 means "leave unchanged" to
 *                    chown/setreuid/setresuid/..., so negatives are allowed.
 *      16, unsigned: umode_t (unsigned short).
 *
 *  - Everything not listed is 64 bits and unsigned: clone (unsigned long
 *    flags on every supported clone layout), clone3, unshare (unsigned long
 *    flags), mmap/mmap2, mprotect, mremap, mount (unsigned long flags),
 *    prctl's arg2..5 (but not its option, which is int), keyctl's arg2..5.
 *
 * Tricky or arch-dependent cases:
 *
 *  - Legacy 16-bit uid calls.  On x86-32, ARM and s390 (31-bit), "chown",
 *    "lchown", "fchown", "setuid", "setgid", "setreuid", "setregid",
 *    "setresuid", "setresgid", "setfsuid", "setfsgid" are the old_uid_t
 *    (16-bit) variants and the uid_t ones are called "chown32" etc.  The
 *    table has one width per name, the one of the 64-bit architectures
 *    (32 bits), so on those three 32-bit architectures a uid above 65535
 *    aliases a small one in the kernel (0x10000 is root).  Both names are
 *    listed; the "...32" ones are always 32 bits.
 *
 *  - sigsuspend is "old_sigset_t mask" (64 bits on ppc64) in one layout and
 *    "int, int, old_sigset_t" on x86-32 and s390; it is left at 64.
 *
 *  - "cacheflush" is (unsigned long, unsigned long, unsigned int) on MIPS and
 *    parisc but (unsigned long, unsigned long, int) on ARM; slot 2 is 32 bits
 *    either way and takes negatives for ARM's sake.
 *
 *  - ptrace declares "long request, long pid": 64 bits, signed.
 *
 *  - ftruncate's length is off_t since Linux 6.10 ("unsigned long" before);
 *    64 bits either way, signed now.
 *
 *  - fadvise64_64 exists only on 32-bit ABIs (and parisc, where it takes
 *    explicit u32 halves); all its slots are 32 bits there.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/compile/argtypes.h"

/* The kernel type class of one argument slot. */
enum argtype {
	AT_U64 = 0, /* unsigned long, size_t, u64, pointers: the default */
	AT_S64,	    /* long, off_t, loff_t */
	AT_U32,	    /* unsigned int, u32, qid_t, enum */
	AT_S32,	    /* int, pid_t, clockid_t, timer_t, key_serial_t, ... */
	AT_ID,	    /* uid_t, gid_t: 32 bits, -1 means "unchanged" */
	AT_MODE,    /* umode_t: unsigned short */
};

#define ARGTYPES_MAX_ARGS 6

struct argtypes_entry {
	const char *name;
	unsigned char arg[ARGTYPES_MAX_ARGS];
};

/*
 * Short names so that each row reads like the kernel prototype.  Trailing
 * 64-bit arguments are left out (zero is AT_U64).
 */
#define UL AT_U64
#define SL AT_S64
#define UI AT_U32
#define SI AT_S32
#define ID AT_ID
#define MD AT_MODE

/* Sorted by strcmp() order of the name: looked up by binary search. */
static const struct argtypes_entry argtypes_table[] = {
	{ "_llseek", { UI, UL, UL, UL, UI } },
	{ "_newselect", { SI } },
	{ "accept", { SI } },
	{ "accept4", { SI, UL, UL, SI } },
	{ "access", { UL, SI } },
	{ "add_key", { UL, UL, UL, UL, SI } },
	{ "alarm", { UI } },
	{ "arch_prctl", { SI } },
	{ "arm_fadvise64_64", { SI, SI } },
	{ "arm_sync_file_range", { SI, UI } },
	{ "bdflush", { SI, SL } },
	{ "bind", { SI, UL, SI } },
	{ "bpf", { SI, UL, UI } },
	{ "cachectl", { UL, SI, SI } },
	{ "cacheflush", { UL, UL, SI } },
	{ "cachestat", { UI, UL, UL, UI } },
	{ "chmod", { UL, MD } },
	{ "chown", { UL, ID, ID } },
	{ "chown32", { UL, ID, ID } },
	{ "clock_adjtime", { SI } },
	{ "clock_adjtime64", { SI } },
	{ "clock_getres", { SI } },
	{ "clock_getres_time64", { SI } },
	{ "clock_gettime", { SI } },
	{ "clock_gettime64", { SI } },
	{ "clock_nanosleep", { SI, SI } },
	{ "clock_nanosleep_time64", { SI, SI } },
	{ "clock_settime", { SI } },
	{ "clock_settime64", { SI } },
	{ "close", { UI } },
	{ "close_range", { UI, UI, UI } },
	{ "connect", { SI, UL, SI } },
	{ "copy_file_range", { SI, UL, SI, UL, UL, UI } },
	{ "creat", { UL, MD } },
	{ "delete_module", { UL, UI } },
	{ "dup", { UI } },
	{ "dup2", { UI, UI } },
	{ "dup3", { UI, UI, SI } },
	{ "epoll_create", { SI } },
	{ "epoll_create1", { SI } },
	{ "epoll_ctl", { SI, SI, SI } },
	{ "epoll_pwait", { SI, UL, SI, SI } },
	{ "epoll_pwait2", { SI, UL, SI } },
	{ "epoll_wait", { SI, UL, SI, SI } },
	{ "eventfd", { UI } },
	{ "eventfd2", { UI, SI } },
	{ "execveat", { SI, UL, UL, UL, SI } },
	{ "exit", { SI } },
	{ "exit_group", { SI } },
	{ "faccessat", { SI, UL, SI } },
	{ "faccessat2", { SI, UL, SI, SI } },
	{ "fadvise64", { SI, SL, UL, SI } },
	{ "fadvise64_64", { SI, SI, UI, UI, UI, SI } },
	{ "fallocate", { SI, SI, SL, SL } },
	{ "fanotify_init", { UI, UI } },
	{ "fanotify_mark", { SI, UI, UL, SI } },
	{ "fchdir", { UI } },
	{ "fchmod", { UI, MD } },
	{ "fchmodat", { SI, UL, MD } },
	{ "fchmodat2", { SI, UL, MD, UI } },
	{ "fchown", { UI, ID, ID } },
	{ "fchown32", { UI, ID, ID } },
	{ "fchownat", { SI, UL, ID, ID, SI } },
	{ "fcntl", { UI, UI } },
	{ "fcntl64", { UI, UI } },
	{ "fdatasync", { UI } },
	{ "fgetxattr", { SI } },
	{ "file_getattr", { SI, UL, UL, UL, UI } },
	{ "file_setattr", { SI, UL, UL, UL, UI } },
	{ "finit_module", { SI, UL, SI } },
	{ "flistxattr", { SI } },
	{ "flock", { UI, UI } },
	{ "fremovexattr", { SI } },
	{ "fsconfig", { SI, UI, UL, UL, SI } },
	{ "fsetxattr", { SI, UL, UL, UL, SI } },
	{ "fsmount", { SI, UI, UI } },
	{ "fsopen", { UL, UI } },
	{ "fspick", { SI, UL, UI } },
	{ "fstat", { UI } },
	{ "fstatat64", { SI, UL, UL, SI } },
	{ "fstatfs", { UI } },
	{ "fstatfs64", { UI } },
	{ "fsync", { UI } },
	{ "ftruncate", { UI, SL } },
	{ "ftruncate64", { UI, SL } },
	{ "futex", { UL, SI, UI, UL, UL, UI } },
	{ "futex_requeue", { UL, UI, SI, SI } },
	{ "futex_time64", { UL, SI, UI, UL, UL, UI } },
	{ "futex_wait", { UL, UL, UL, UI, UL, SI } },
	{ "futex_waitv", { UL, UI, UI, UL, SI } },
	{ "futex_wake", { UL, UL, SI, UI } },
	{ "futimesat", { SI } },
	{ "get_robust_list", { SI } },
	{ "getdents", { UI, UL, UI } },
	{ "getdents64", { UI, UL, UI } },
	{ "getgroups", { SI } },
	{ "getgroups32", { SI } },
	{ "getitimer", { SI } },
	{ "getpeername", { SI } },
	{ "getpgid", { SI } },
	{ "getpriority", { SI, SI } },
	{ "getrandom", { UL, UL, UI } },
	{ "getrlimit", { UI } },
	{ "getrusage", { SI } },
	{ "getsid", { SI } },
	{ "getsockname", { SI } },
	{ "getsockopt", { SI, SI, SI } },
	{ "getxattrat", { SI, UL, UI } },
	{ "inotify_add_watch", { SI, UL, UI } },
	{ "inotify_init1", { SI } },
	{ "inotify_rm_watch", { SI, SI } },
	{ "io_getevents", { UL, SL, SL } },
	{ "io_pgetevents", { UL, SL, SL } },
	{ "io_pgetevents_time64", { UL, SL, SL } },
	{ "io_setup", { UI } },
	{ "io_submit", { UL, SL } },
	{ "io_uring_enter", { UI, UI, UI, UI } },
	{ "io_uring_register", { UI, UI, UL, UI } },
	{ "io_uring_setup", { UI } },
	{ "ioctl", { UI, UI } },
	{ "ioperm", { UL, UL, SI } },
	{ "iopl", { UI } },
	{ "ioprio_get", { SI, SI } },
	{ "ioprio_set", { SI, SI, SI } },
	{ "ipc", { UI, SI, UL, UL, UL, SL } },
	{ "kcmp", { SI, SI, SI } },
	{ "kexec_file_load", { SI, SI } },
	{ "keyctl", { SI } },
	{ "kill", { SI, SI } },
	{ "landlock_add_rule", { SI, UI, UL, UI } },
	{ "landlock_create_ruleset", { UL, UL, UI } },
	{ "landlock_restrict_self", { SI, UI } },
	{ "lchown", { UL, ID, ID } },
	{ "lchown32", { UL, ID, ID } },
	{ "linkat", { SI, UL, SI, UL, SI } },
	{ "listen", { SI, SI } },
	{ "listmount", { UL, UL, UL, UI } },
	{ "listxattrat", { SI, UL, UI } },
	{ "lseek", { UI, SL, UI } },
	{ "lsetxattr", { UL, UL, UL, UL, SI } },
	{ "lsm_get_self_attr", { UI, UL, UL, UI } },
	{ "lsm_list_modules", { UL, UL, UI } },
	{ "lsm_set_self_attr", { UI, UL, UI, UI } },
	{ "madvise", { UL, UL, SI } },
	{ "map_shadow_stack", { UL, UL, UI } },
	{ "mbind", { UL, UL, UL, UL, UL, UI } },
	{ "membarrier", { SI, UI, SI } },
	{ "memfd_create", { UL, UI } },
	{ "memfd_secret", { UI } },
	{ "migrate_pages", { SI } },
	{ "mkdir", { UL, MD } },
	{ "mkdirat", { SI, UL, MD } },
	{ "mknod", { UL, MD, UI } },
	{ "mknodat", { SI, UL, MD, UI } },
	{ "mlock2", { UL, UL, SI } },
	{ "mlockall", { SI } },
	{ "modify_ldt", { SI } },
	{ "mount_setattr", { SI, UL, UI } },
	{ "move_mount", { SI, UL, SI, UL, UI } },
	{ "move_pages", { SI, UL, UL, UL, UL, SI } },
	{ "mq_getsetattr", { SI } },
	{ "mq_notify", { SI } },
	{ "mq_open", { UL, SI, MD } },
	{ "mq_timedreceive", { SI } },
	{ "mq_timedreceive_time64", { SI } },
	{ "mq_timedsend", { SI, UL, UL, UI } },
	{ "mq_timedsend_time64", { SI, UL, UL, UI } },
	{ "msgctl", { SI, SI } },
	{ "msgget", { SI, SI } },
	{ "msgrcv", { SI, UL, UL, SL, SI } },
	{ "msgsnd", { SI, UL, UL, SI } },
	{ "msync", { UL, UL, SI } },
	{ "name_to_handle_at", { SI, UL, UL, UL, SI } },
	{ "newfstatat", { SI, UL, UL, SI } },
	{ "nice", { SI } },
	{ "oldfstat", { UI } },
	{ "open", { UL, SI, MD } },
	{ "open_by_handle_at", { SI, UL, SI } },
	{ "open_tree", { SI, UL, UI } },
	{ "open_tree_attr", { SI, UL, UI } },
	{ "openat", { SI, UL, SI, MD } },
	{ "openat2", { SI } },
	{ "pciconfig_iobase", { SL } },
	{ "perf_event_open", { UL, SI, SI, SI } },
	{ "personality", { UI } },
	{ "pidfd_getfd", { SI, SI, UI } },
	{ "pidfd_open", { SI, UI } },
	{ "pidfd_send_signal", { SI, SI, UL, UI } },
	{ "pipe2", { UL, SI } },
	{ "pkey_free", { SI } },
	{ "pkey_mprotect", { UL, UL, UL, SI } },
	{ "poll", { UL, UI, SI } },
	{ "ppoll", { UL, UI } },
	{ "ppoll_time64", { UL, UI } },
	{ "prctl", { SI } },
	{ "pread64", { UI, UL, UL, SL } },
	{ "preadv2", { UL, UL, UL, UL, UL, SI } },
	{ "prlimit64", { SI, UI } },
	{ "process_madvise", { SI, UL, UL, SI, UI } },
	{ "process_mrelease", { SI, UI } },
	{ "process_vm_readv", { SI } },
	{ "process_vm_writev", { SI } },
	{ "pselect6", { SI } },
	{ "pselect6_time64", { SI } },
	{ "ptrace", { SL, SL } },
	{ "pwrite64", { UI, UL, UL, SL } },
	{ "pwritev2", { UL, UL, UL, UL, UL, SI } },
	{ "quotactl", { UI, UL, UI } },
	{ "quotactl_fd", { UI, UI, UI } },
	{ "read", { UI } },
	{ "readahead", { SI, SL } },
	{ "readdir", { UI, UL, UI } },
	{ "readlink", { UL, UL, SI } },
	{ "readlinkat", { SI, UL, UL, SI } },
	{ "reboot", { SI, SI, UI } },
	{ "recv", { SI, UL, UL, UI } },
	{ "recvfrom", { SI, UL, UL, UI } },
	{ "recvmmsg", { SI, UL, UI, UI } },
	{ "recvmmsg_time64", { SI, UL, UI, UI } },
	{ "recvmsg", { SI, UL, UI } },
	{ "removexattrat", { SI, UL, UI } },
	{ "renameat", { SI, UL, SI } },
	{ "renameat2", { SI, UL, SI, UL, UI } },
	{ "request_key", { UL, UL, UL, SI } },
	{ "riscv_hwprobe", { UL, UL, UL, UL, UI } },
	{ "rseq", { UL, UI, SI, UI } },
	{ "rt_sigaction", { SI } },
	{ "rt_sigprocmask", { SI } },
	{ "rt_sigqueueinfo", { SI, SI } },
	{ "rt_tgsigqueueinfo", { SI, SI, SI } },
	{ "s390_guarded_storage", { SI } },
	{ "s390_runtime_instr", { SI, SI } },
	{ "sched_get_priority_max", { SI } },
	{ "sched_get_priority_min", { SI } },
	{ "sched_getaffinity", { SI, UI } },
	{ "sched_getattr", { SI, UL, UI, UI } },
	{ "sched_getparam", { SI } },
	{ "sched_getscheduler", { SI } },
	{ "sched_rr_get_interval", { SI } },
	{ "sched_rr_get_interval_time64", { SI } },
	{ "sched_setaffinity", { SI, UI } },
	{ "sched_setattr", { SI, UL, UI } },
	{ "sched_setparam", { SI } },
	{ "sched_setscheduler", { SI, SI } },
	{ "seccomp", { UI, UI } },
	{ "select", { SI } },
	{ "semctl", { SI, SI, SI } },
	{ "semget", { SI, SI, SI } },
	{ "semop", { SI, UL, UI } },
	{ "semtimedop", { SI, UL, UI } },
	{ "semtimedop_time64", { SI, UL, UI } },
	{ "send", { SI, UL, UL, UI } },
	{ "sendfile", { SI, SI } },
	{ "sendfile64", { SI, SI } },
	{ "sendmmsg", { SI, UL, UI, UI } },
	{ "sendmsg", { SI, UL, UI } },
	{ "sendto", { SI, UL, UL, UI, UL, SI } },
	{ "set_mempolicy", { SI } },
	{ "setdomainname", { UL, SI } },
	{ "setfsgid", { ID } },
	{ "setfsgid32", { ID } },
	{ "setfsuid", { ID } },
	{ "setfsuid32", { ID } },
	{ "setgid", { ID } },
	{ "setgid32", { ID } },
	{ "setgroups", { SI } },
	{ "setgroups32", { SI } },
	{ "sethostname", { UL, SI } },
	{ "setitimer", { SI } },
	{ "setns", { SI, SI } },
	{ "setpgid", { SI, SI } },
	{ "setpriority", { SI, SI, SI } },
	{ "setregid", { ID, ID } },
	{ "setregid32", { ID, ID } },
	{ "setresgid", { ID, ID, ID } },
	{ "setresgid32", { ID, ID, ID } },
	{ "setresuid", { ID, ID, ID } },
	{ "setresuid32", { ID, ID, ID } },
	{ "setreuid", { ID, ID } },
	{ "setreuid32", { ID, ID } },
	{ "setrlimit", { UI } },
	{ "setsockopt", { SI, SI, SI, UL, SI } },
	{ "setuid", { ID } },
	{ "setuid32", { ID } },
	{ "setxattr", { UL, UL, UL, UL, SI } },
	{ "setxattrat", { SI, UL, UI } },
	{ "shmat", { SI, UL, SI } },
	{ "shmctl", { SI, SI } },
	{ "shmget", { SI, UL, SI } },
	{ "shutdown", { SI, SI } },
	{ "sigaction", { SI } },
	{ "signal", { SI } },
	{ "signalfd", { SI } },
	{ "signalfd4", { SI, UL, UL, SI } },
	{ "sigprocmask", { SI } },
	{ "socket", { SI, SI, SI } },
	{ "socketcall", { SI } },
	{ "socketpair", { SI, SI, SI } },
	{ "splice", { SI, UL, SI, UL, UL, UI } },
	{ "spu_create", { UL, UI, MD, SI } },
	{ "spu_run", { SI } },
	{ "ssetmask", { SI } },
	{ "statmount", { UL, UL, UL, UI } },
	{ "statx", { SI, UL, UI, UI } },
	{ "swapcontext", { UL, UL, SL } },
	{ "swapon", { UL, SI } },
	{ "symlinkat", { UL, SI } },
	{ "sync_file_range", { SI, SL, SL, UI } },
	{ "sync_file_range2", { SI, UI, SL, SL } },
	{ "syncfs", { SI } },
	{ "sys_debug_setcontext", { UL, SI } },
	{ "sysfs", { SI } },
	{ "syslog", { SI, UL, SI } },
	{ "sysmips", { SL, SL, SL } },
	{ "tee", { SI, SI, UL, UI } },
	{ "tgkill", { SI, SI, SI } },
	{ "timer_create", { SI } },
	{ "timer_delete", { SI } },
	{ "timer_getoverrun", { SI } },
	{ "timer_gettime", { SI } },
	{ "timer_gettime64", { SI } },
	{ "timer_settime", { SI, SI } },
	{ "timer_settime64", { SI, SI } },
	{ "timerfd_create", { SI, SI } },
	{ "timerfd_gettime", { SI } },
	{ "timerfd_gettime64", { SI } },
	{ "timerfd_settime", { SI, SI } },
	{ "timerfd_settime64", { SI, SI } },
	{ "tkill", { SI, SI } },
	{ "truncate", { UL, SL } },
	{ "truncate64", { UL, SL } },
	{ "ugetrlimit", { UI } },
	{ "umask", { SI } },
	{ "umount2", { UL, SI } },
	{ "unlinkat", { SI, UL, SI } },
	{ "userfaultfd", { SI } },
	{ "ustat", { UI } },
	{ "utimensat", { SI, UL, UL, SI } },
	{ "utimensat_time64", { SI, UL, UL, SI } },
	{ "vmsplice", { SI, UL, UL, UI } },
	{ "wait4", { SI, UL, SI } },
	{ "waitid", { SI, SI, UL, SI } },
	{ "waitpid", { SI, UL, SI } },
	{ "write", { UI } },
};

#undef UL
#undef SL
#undef UI
#undef SI
#undef ID
#undef MD

static int argtypes_cmp(const void *key, const void *elem)
{
	const struct argtypes_entry *e = elem;

	return strcmp(key, e->name);
}

static enum argtype argtypes_lookup(const char *syscall, unsigned arg)
{
	const struct argtypes_entry *e;

	if (!syscall || arg >= ARGTYPES_MAX_ARGS)
		return AT_U64;
	e = bsearch(syscall, argtypes_table, sizeof(argtypes_table) / sizeof(argtypes_table[0]),
		    sizeof(argtypes_table[0]), argtypes_cmp);
	return e ? (enum argtype)e->arg[arg] : AT_U64;
}

unsigned argtypes_width(const char *syscall, unsigned arg)
{
	switch (argtypes_lookup(syscall, arg)) {
	case AT_MODE:
		return 16;
	case AT_U32:
	case AT_S32:
	case AT_ID:
		return 32;
	case AT_U64:
	case AT_S64:
		break;
	}
	return 64;
}

bool argtypes_accepts_negative(const char *syscall, unsigned arg)
{
	switch (argtypes_lookup(syscall, arg)) {
	case AT_S32:
	case AT_S64:
	case AT_ID:
		return true;
	case AT_U64:
	case AT_U32:
	case AT_MODE:
		break;
	}
	return false;
}

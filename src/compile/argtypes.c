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

/*
 * How many argument registers each syscall reads: the n of its
 * SYSCALL_DEFINEn, taken as the largest over the supported architectures
 * (a 64-bit parameter takes two registers on a 32-bit ABI, and some ABIs
 * insert a padding register, so pread64 reads 4 on x86_64 but 6 on arm).
 * A condition on a register beyond that count tests whatever the caller
 * left there, not an argument (check.c reports it).  The counts were read
 * from the per-architecture syscall tables of strace and the kernel's
 * prototypes; tests/unit/test_argtypes.c checks that every name libseccomp
 * knows is listed.  Sorted by strcmp() order.
 */
struct argtypes_count {
	const char *name;
	unsigned char nargs;
};

static const struct argtypes_count argtypes_counts[] = {
	{ "_llseek", 5 },
	{ "_newselect", 5 },
	{ "_sysctl", 1 },
	{ "accept", 3 },
	{ "accept4", 4 },
	{ "access", 2 },
	{ "acct", 1 },
	{ "add_key", 5 },
	{ "adjtimex", 1 },
	{ "afs_syscall", 5 },
	{ "alarm", 1 },
	{ "arch_prctl", 2 },
	{ "arm_fadvise64_64", 6 },
	{ "arm_sync_file_range", 6 },
	{ "bdflush", 2 },
	{ "bind", 3 },
	{ "bpf", 3 },
	{ "break", 0 },
	{ "breakpoint", 0 },
	{ "brk", 1 },
	{ "cachectl", 3 },
	{ "cacheflush", 3 },
	{ "cachestat", 4 },
	{ "capget", 2 },
	{ "capset", 2 },
	{ "chdir", 1 },
	{ "chmod", 2 },
	{ "chown", 3 },
	{ "chown32", 3 },
	{ "chroot", 1 },
	{ "clock_adjtime", 2 },
	{ "clock_adjtime64", 2 },
	{ "clock_getres", 2 },
	{ "clock_getres_time64", 2 },
	{ "clock_gettime", 2 },
	{ "clock_gettime64", 2 },
	{ "clock_nanosleep", 4 },
	{ "clock_nanosleep_time64", 4 },
	{ "clock_settime", 2 },
	{ "clock_settime64", 2 },
	{ "clone", 5 },
	{ "clone3", 2 },
	{ "close", 1 },
	{ "close_range", 3 },
	{ "connect", 3 },
	{ "copy_file_range", 6 },
	{ "creat", 2 },
	{ "create_module", 2 },
	{ "delete_module", 2 },
	{ "dup", 1 },
	{ "dup2", 2 },
	{ "dup3", 3 },
	{ "epoll_create", 1 },
	{ "epoll_create1", 1 },
	{ "epoll_ctl", 4 },
	{ "epoll_ctl_old", 4 },
	{ "epoll_pwait", 6 },
	{ "epoll_pwait2", 6 },
	{ "epoll_wait", 4 },
	{ "epoll_wait_old", 4 },
	{ "eventfd", 1 },
	{ "eventfd2", 2 },
	{ "execve", 3 },
	{ "execveat", 5 },
	{ "exit", 1 },
	{ "exit_group", 1 },
	{ "faccessat", 3 },
	{ "faccessat2", 4 },
	{ "fadvise64", 6 },
	{ "fadvise64_64", 6 },
	{ "fallocate", 6 },
	{ "fanotify_init", 2 },
	{ "fanotify_mark", 6 },
	{ "fchdir", 1 },
	{ "fchmod", 2 },
	{ "fchmodat", 3 },
	{ "fchmodat2", 4 },
	{ "fchown", 3 },
	{ "fchown32", 3 },
	{ "fchownat", 5 },
	{ "fcntl", 3 },
	{ "fcntl64", 3 },
	{ "fdatasync", 1 },
	{ "fgetxattr", 4 },
	{ "file_getattr", 5 },
	{ "file_setattr", 5 },
	{ "finit_module", 3 },
	{ "flistxattr", 3 },
	{ "flock", 2 },
	{ "fork", 0 },
	{ "fremovexattr", 2 },
	{ "fsconfig", 5 },
	{ "fsetxattr", 5 },
	{ "fsmount", 3 },
	{ "fsopen", 2 },
	{ "fspick", 3 },
	{ "fstat", 2 },
	{ "fstat64", 2 },
	{ "fstatat64", 4 },
	{ "fstatfs", 2 },
	{ "fstatfs64", 3 },
	{ "fsync", 1 },
	{ "ftime", 1 },
	{ "ftruncate", 2 },
	{ "ftruncate64", 4 },
	{ "futex", 6 },
	{ "futex_requeue", 4 },
	{ "futex_time64", 6 },
	{ "futex_wait", 6 },
	{ "futex_waitv", 5 },
	{ "futex_wake", 4 },
	{ "futimesat", 3 },
	{ "get_kernel_syms", 1 },
	{ "get_mempolicy", 5 },
	{ "get_robust_list", 3 },
	{ "get_thread_area", 5 },
	{ "get_tls", 0 },
	{ "getcpu", 3 },
	{ "getcwd", 2 },
	{ "getdents", 3 },
	{ "getdents64", 3 },
	{ "getegid", 0 },
	{ "getegid32", 0 },
	{ "geteuid", 0 },
	{ "geteuid32", 0 },
	{ "getgid", 0 },
	{ "getgid32", 0 },
	{ "getgroups", 2 },
	{ "getgroups32", 2 },
	{ "getitimer", 2 },
	{ "getpeername", 3 },
	{ "getpgid", 1 },
	{ "getpgrp", 0 },
	{ "getpid", 0 },
	{ "getpmsg", 5 },
	{ "getppid", 0 },
	{ "getpriority", 2 },
	{ "getrandom", 3 },
	{ "getresgid", 3 },
	{ "getresgid32", 3 },
	{ "getresuid", 3 },
	{ "getresuid32", 3 },
	{ "getrlimit", 2 },
	{ "getrusage", 2 },
	{ "getsid", 1 },
	{ "getsockname", 3 },
	{ "getsockopt", 5 },
	{ "gettid", 0 },
	{ "gettimeofday", 2 },
	{ "getuid", 0 },
	{ "getuid32", 0 },
	{ "getxattr", 4 },
	{ "getxattrat", 6 },
	{ "gtty", 2 },
	{ "idle", 0 },
	{ "init_module", 3 },
	{ "inotify_add_watch", 3 },
	{ "inotify_init", 0 },
	{ "inotify_init1", 1 },
	{ "inotify_rm_watch", 2 },
	{ "io_cancel", 3 },
	{ "io_destroy", 1 },
	{ "io_getevents", 5 },
	{ "io_pgetevents", 6 },
	{ "io_pgetevents_time64", 6 },
	{ "io_setup", 2 },
	{ "io_submit", 3 },
	{ "io_uring_enter", 6 },
	{ "io_uring_register", 4 },
	{ "io_uring_setup", 2 },
	{ "ioctl", 3 },
	{ "ioperm", 3 },
	{ "iopl", 1 },
	{ "ioprio_get", 2 },
	{ "ioprio_set", 3 },
	{ "ipc", 6 },
	{ "kcmp", 5 },
	{ "kexec_file_load", 5 },
	{ "kexec_load", 4 },
	{ "keyctl", 5 },
	{ "kill", 2 },
	{ "landlock_add_rule", 4 },
	{ "landlock_create_ruleset", 3 },
	{ "landlock_restrict_self", 2 },
	{ "lchown", 3 },
	{ "lchown32", 3 },
	{ "lgetxattr", 4 },
	{ "link", 2 },
	{ "linkat", 5 },
	{ "listen", 2 },
	{ "listmount", 4 },
	{ "listxattr", 3 },
	{ "listxattrat", 5 },
	{ "llistxattr", 3 },
	{ "lock", 0 },
	{ "lookup_dcookie", 4 },
	{ "lremovexattr", 2 },
	{ "lseek", 3 },
	{ "lsetxattr", 5 },
	{ "lsm_get_self_attr", 4 },
	{ "lsm_list_modules", 3 },
	{ "lsm_set_self_attr", 4 },
	{ "lstat", 2 },
	{ "lstat64", 2 },
	{ "madvise", 3 },
	{ "map_shadow_stack", 3 },
	{ "mbind", 6 },
	{ "membarrier", 3 },
	{ "memfd_create", 2 },
	{ "memfd_secret", 1 },
	{ "migrate_pages", 4 },
	{ "mincore", 3 },
	{ "mkdir", 2 },
	{ "mkdirat", 3 },
	{ "mknod", 3 },
	{ "mknodat", 4 },
	{ "mlock", 2 },
	{ "mlock2", 3 },
	{ "mlockall", 1 },
	{ "mmap", 6 },
	{ "mmap2", 6 },
	{ "modify_ldt", 5 },
	{ "mount", 5 },
	{ "mount_setattr", 5 },
	{ "move_mount", 5 },
	{ "move_pages", 6 },
	{ "mprotect", 3 },
	{ "mpx", 0 },
	{ "mq_getsetattr", 3 },
	{ "mq_notify", 2 },
	{ "mq_open", 4 },
	{ "mq_timedreceive", 5 },
	{ "mq_timedreceive_time64", 5 },
	{ "mq_timedsend", 5 },
	{ "mq_timedsend_time64", 5 },
	{ "mq_unlink", 1 },
	{ "mremap", 5 },
	{ "msgctl", 3 },
	{ "msgget", 2 },
	{ "msgrcv", 5 },
	{ "msgsnd", 4 },
	{ "msync", 3 },
	{ "multiplexer", 6 },
	{ "munlock", 2 },
	{ "munlockall", 0 },
	{ "munmap", 2 },
	{ "name_to_handle_at", 5 },
	{ "nanosleep", 2 },
	{ "newfstatat", 4 },
	{ "nfsservctl", 3 },
	{ "nice", 1 },
	{ "oldfstat", 2 },
	{ "oldlstat", 2 },
	{ "oldolduname", 1 },
	{ "oldstat", 2 },
	{ "olduname", 1 },
	{ "open", 3 },
	{ "open_by_handle_at", 3 },
	{ "open_tree", 3 },
	{ "open_tree_attr", 5 },
	{ "openat", 4 },
	{ "openat2", 4 },
	{ "pause", 0 },
	{ "pciconfig_iobase", 3 },
	{ "pciconfig_read", 5 },
	{ "pciconfig_write", 5 },
	{ "perf_event_open", 5 },
	{ "personality", 1 },
	{ "pidfd_getfd", 3 },
	{ "pidfd_open", 2 },
	{ "pidfd_send_signal", 4 },
	{ "pipe", 1 },
	{ "pipe2", 2 },
	{ "pivot_root", 2 },
	{ "pkey_alloc", 2 },
	{ "pkey_free", 1 },
	{ "pkey_mprotect", 4 },
	{ "poll", 3 },
	{ "ppoll", 5 },
	{ "ppoll_time64", 5 },
	{ "prctl", 5 },
	{ "pread64", 6 },
	{ "preadv", 5 },
	{ "preadv2", 6 },
	{ "prlimit64", 4 },
	{ "process_madvise", 5 },
	{ "process_mrelease", 2 },
	{ "process_vm_readv", 6 },
	{ "process_vm_writev", 6 },
	{ "prof", 0 },
	{ "profil", 4 },
	{ "pselect6", 6 },
	{ "pselect6_time64", 6 },
	{ "ptrace", 4 },
	{ "putpmsg", 5 },
	{ "pwrite64", 6 },
	{ "pwritev", 5 },
	{ "pwritev2", 6 },
	{ "query_module", 5 },
	{ "quotactl", 4 },
	{ "quotactl_fd", 4 },
	{ "read", 3 },
	{ "readahead", 5 },
	{ "readdir", 3 },
	{ "readlink", 3 },
	{ "readlinkat", 4 },
	{ "readv", 3 },
	{ "reboot", 4 },
	{ "recv", 4 },
	{ "recvfrom", 6 },
	{ "recvmmsg", 5 },
	{ "recvmmsg_time64", 5 },
	{ "recvmsg", 3 },
	{ "remap_file_pages", 5 },
	{ "removexattr", 2 },
	{ "removexattrat", 4 },
	{ "rename", 2 },
	{ "renameat", 4 },
	{ "renameat2", 5 },
	{ "request_key", 4 },
	{ "restart_syscall", 0 },
	{ "riscv_flush_icache", 3 },
	{ "riscv_hwprobe", 5 },
	{ "rmdir", 1 },
	{ "rseq", 4 },
	{ "rt_sigaction", 4 },
	{ "rt_sigpending", 2 },
	{ "rt_sigprocmask", 4 },
	{ "rt_sigqueueinfo", 3 },
	{ "rt_sigreturn", 0 },
	{ "rt_sigsuspend", 2 },
	{ "rt_sigtimedwait", 4 },
	{ "rt_sigtimedwait_time64", 4 },
	{ "rt_tgsigqueueinfo", 4 },
	{ "rtas", 1 },
	{ "s390_guarded_storage", 2 },
	{ "s390_pci_mmio_read", 3 },
	{ "s390_pci_mmio_write", 3 },
	{ "s390_runtime_instr", 2 },
	{ "s390_sthyi", 4 },
	{ "sched_get_priority_max", 1 },
	{ "sched_get_priority_min", 1 },
	{ "sched_getaffinity", 3 },
	{ "sched_getattr", 4 },
	{ "sched_getparam", 2 },
	{ "sched_getscheduler", 1 },
	{ "sched_rr_get_interval", 2 },
	{ "sched_rr_get_interval_time64", 2 },
	{ "sched_setaffinity", 3 },
	{ "sched_setattr", 3 },
	{ "sched_setparam", 2 },
	{ "sched_setscheduler", 3 },
	{ "sched_yield", 0 },
	{ "seccomp", 3 },
	{ "security", 3 },
	{ "select", 5 },
	{ "semctl", 4 },
	{ "semget", 3 },
	{ "semop", 3 },
	{ "semtimedop", 4 },
	{ "semtimedop_time64", 4 },
	{ "send", 4 },
	{ "sendfile", 4 },
	{ "sendfile64", 4 },
	{ "sendmmsg", 4 },
	{ "sendmsg", 3 },
	{ "sendto", 6 },
	{ "set_mempolicy", 3 },
	{ "set_mempolicy_home_node", 4 },
	{ "set_robust_list", 2 },
	{ "set_thread_area", 5 },
	{ "set_tid_address", 1 },
	{ "set_tls", 1 },
	{ "setdomainname", 2 },
	{ "setfsgid", 1 },
	{ "setfsgid32", 1 },
	{ "setfsuid", 1 },
	{ "setfsuid32", 1 },
	{ "setgid", 1 },
	{ "setgid32", 1 },
	{ "setgroups", 2 },
	{ "setgroups32", 2 },
	{ "sethostname", 2 },
	{ "setitimer", 3 },
	{ "setns", 2 },
	{ "setpgid", 2 },
	{ "setpriority", 3 },
	{ "setregid", 2 },
	{ "setregid32", 2 },
	{ "setresgid", 3 },
	{ "setresgid32", 3 },
	{ "setresuid", 3 },
	{ "setresuid32", 3 },
	{ "setreuid", 2 },
	{ "setreuid32", 2 },
	{ "setrlimit", 2 },
	{ "setsid", 0 },
	{ "setsockopt", 5 },
	{ "settimeofday", 2 },
	{ "setuid", 1 },
	{ "setuid32", 1 },
	{ "setxattr", 5 },
	{ "setxattrat", 6 },
	{ "sgetmask", 0 },
	{ "shmat", 3 },
	{ "shmctl", 3 },
	{ "shmdt", 1 },
	{ "shmget", 3 },
	{ "shutdown", 2 },
	{ "sigaction", 3 },
	{ "sigaltstack", 2 },
	{ "signal", 2 },
	{ "signalfd", 3 },
	{ "signalfd4", 4 },
	{ "sigpending", 1 },
	{ "sigprocmask", 3 },
	{ "sigreturn", 0 },
	{ "sigsuspend", 3 },
	{ "socket", 3 },
	{ "socketcall", 2 },
	{ "socketpair", 4 },
	{ "splice", 6 },
	{ "spu_create", 4 },
	{ "spu_run", 3 },
	{ "ssetmask", 1 },
	{ "stat", 2 },
	{ "stat64", 2 },
	{ "statfs", 2 },
	{ "statfs64", 3 },
	{ "statmount", 4 },
	{ "statx", 5 },
	{ "stime", 1 },
	{ "stty", 2 },
	{ "subpage_prot", 3 },
	{ "swapcontext", 2 },
	{ "swapoff", 1 },
	{ "swapon", 2 },
	{ "switch_endian", 0 },
	{ "symlink", 2 },
	{ "symlinkat", 3 },
	{ "sync", 0 },
	{ "sync_file_range", 6 },
	{ "sync_file_range2", 6 },
	{ "syncfs", 1 },
	{ "sys_debug_setcontext", 5 },
	{ "syscall", 6 },
	{ "sysfs", 3 },
	{ "sysinfo", 1 },
	{ "syslog", 3 },
	{ "sysmips", 4 },
	{ "tee", 4 },
	{ "tgkill", 3 },
	{ "time", 1 },
	{ "timer_create", 3 },
	{ "timer_delete", 1 },
	{ "timer_getoverrun", 1 },
	{ "timer_gettime", 2 },
	{ "timer_gettime64", 2 },
	{ "timer_settime", 4 },
	{ "timer_settime64", 4 },
	{ "timerfd", 4 },
	{ "timerfd_create", 2 },
	{ "timerfd_gettime", 2 },
	{ "timerfd_gettime64", 2 },
	{ "timerfd_settime", 4 },
	{ "timerfd_settime64", 4 },
	{ "times", 1 },
	{ "tkill", 2 },
	{ "truncate", 2 },
	{ "truncate64", 4 },
	{ "tuxcall", 5 },
	{ "ugetrlimit", 2 },
	{ "ulimit", 2 },
	{ "umask", 1 },
	{ "umount", 1 },
	{ "umount2", 2 },
	{ "uname", 1 },
	{ "unlink", 1 },
	{ "unlinkat", 3 },
	{ "unshare", 1 },
	{ "uselib", 1 },
	{ "userfaultfd", 1 },
	{ "usr26", 0 },
	{ "usr32", 0 },
	{ "ustat", 2 },
	{ "utime", 2 },
	{ "utimensat", 4 },
	{ "utimensat_time64", 4 },
	{ "utimes", 2 },
	{ "vfork", 0 },
	{ "vhangup", 0 },
	{ "vm86", 5 },
	{ "vm86old", 1 },
	{ "vmsplice", 4 },
	{ "vserver", 5 },
	{ "wait4", 4 },
	{ "waitid", 5 },
	{ "waitpid", 3 },
	{ "write", 3 },
	{ "writev", 3 },
};

static int argtypes_count_cmp(const void *key, const void *elem)
{
	const struct argtypes_count *e = elem;

	return strcmp(key, e->name);
}

int argtypes_nargs(const char *syscall)
{
	const struct argtypes_count *e;

	e = bsearch(syscall, argtypes_counts, sizeof(argtypes_counts) / sizeof(argtypes_counts[0]),
		    sizeof(argtypes_counts[0]), argtypes_count_cmp);
	return e ? e->nargs : -1;
}

/*
 * For tests/unit/test_argtypes.c only, which checks that the table is sorted
 * and that libseccomp knows every name; not part of the interface, so the
 * declarations live here rather than in the header.
 */
size_t argtypes_test_count(void);
const char *argtypes_test_name(size_t i);
size_t argtypes_test_nargs_count(void);
const char *argtypes_test_nargs_name(size_t i);

size_t argtypes_test_count(void)
{
	return sizeof(argtypes_table) / sizeof(argtypes_table[0]);
}

const char *argtypes_test_name(size_t i)
{
	return i < argtypes_test_count() ? argtypes_table[i].name : NULL;
}

size_t argtypes_test_nargs_count(void)
{
	return sizeof(argtypes_counts) / sizeof(argtypes_counts[0]);
}

const char *argtypes_test_nargs_name(size_t i)
{
	return i < argtypes_test_nargs_count() ? argtypes_counts[i].name : NULL;
}

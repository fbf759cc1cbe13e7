// SPDX-License-Identifier: MIT
/*
 * The syscall groups (@basic-io, @network-io, ~@mount ...): data, and the
 * expansion of a group into its calls.  The lists follow the meaning of
 * systemd's SystemCallFilter= sets (src/shared/seccomp-util.c was read for
 * the facts), written and curated here; where they differ, the comment
 * says why and docs/policy-language.md says so too.  Names of every
 * architecture are listed: a target architecture skips the ones it lacks.
 */
#include "sysfence/compile/groups.h"

#include <stdlib.h>
#include <string.h>

#include "sysfence/array.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/compile/text.h"
#include "sysfence/util.h"

#define MEMBERS(...)                                                                               \
	(const char *const[])                                                                      \
	{                                                                                          \
		__VA_ARGS__, NULL                                                                  \
	}

/* Sorted by name: groups_find() searches it. */
static const struct groups_group groups[] = {
	{ "@aio", "asynchronous I/O: POSIX AIO and io_uring",
	  MEMBERS("io_cancel", "io_destroy", "io_getevents", "io_pgetevents",
		  "io_pgetevents_time64", "io_setup", "io_submit", "io_uring_enter",
		  "io_uring_register", "io_uring_setup") },
	{ "@basic-io", "reading, writing, seeking and closing open descriptors",
	  MEMBERS("_llseek", "close", "close_range", "dup", "dup2", "dup3", "lseek", "pread64",
		  "preadv", "preadv2", "pwrite64", "pwritev", "pwritev2", "read", "readv", "write",
		  "writev") },
	{ "@chown", "changing the owner of files",
	  MEMBERS("chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32") },
	/* stime sets the clock too: here, not in @obsolete, so ~@clock denies it. */
	{ "@clock", "setting the system clock",
	  MEMBERS("adjtimex", "clock_adjtime", "clock_adjtime64", "clock_settime",
		  "clock_settime64", "settimeofday", "stime") },
	{ "@cpu-emulation", "CPU emulation: LDT, vm86, endianness and subpage protection",
	  MEMBERS("modify_ldt", "subpage_prot", "switch_endian", "vm86", "vm86old") },
	{ "@debug", "debugging, tracing and performance monitoring of processes",
	  MEMBERS("lookup_dcookie", "perf_event_open", "pidfd_getfd", "ptrace", "rtas",
		  "s390_runtime_instr", "sys_debug_setcontext") },
	/*
	 * What a program needs to start, run and exit: exec, memory, futexes,
	 * the clock, its own ids and limits, returning from a signal.  systemd
	 * allows these in every filter; here they are a group like the others.
	 */
	{ "@default", "what every program needs: exec, memory, futexes, time, its own ids",
	  MEMBERS("arch_prctl", "brk", "cacheflush", "clock_getres", "clock_getres_time64",
		  "clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64",
		  "execve", "exit", "exit_group", "futex", "futex_requeue", "futex_time64",
		  "futex_wait", "futex_waitv", "futex_wake", "get_robust_list", "get_thread_area",
		  "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups",
		  "getgroups32", "getpgid", "getpgrp", "getpid", "getppid", "getrandom",
		  "getresgid", "getresgid32", "getresuid", "getresuid32", "getrlimit", "getsid",
		  "gettid", "gettimeofday", "getuid", "getuid32", "membarrier", "mmap", "mmap2",
		  "mprotect", "munmap", "nanosleep", "pause", "prlimit64", "restart_syscall",
		  "riscv_flush_icache", "rseq", "rt_sigreturn", "sched_getaffinity", "sched_yield",
		  "set_robust_list", "set_thread_area", "set_tid_address", "set_tls", "sigreturn",
		  "time", "ugetrlimit") },
	{ "@file-system", "files and folders: open, stat, create, rename, remove, attributes",
	  MEMBERS("access", "chdir", "chmod", "close", "creat", "faccessat", "faccessat2",
		  "fallocate", "fchdir", "fchmod", "fchmodat", "fchmodat2", "fcntl", "fcntl64",
		  "fgetxattr", "flistxattr", "fremovexattr", "fsetxattr", "fstat", "fstat64",
		  "fstatat64", "fstatfs", "fstatfs64", "ftruncate", "ftruncate64", "futimesat",
		  "getcwd", "getdents", "getdents64", "getxattr", "inotify_add_watch",
		  "inotify_init", "inotify_init1", "inotify_rm_watch", "lgetxattr", "link",
		  "linkat", "listxattr", "llistxattr", "lremovexattr", "lsetxattr", "lstat",
		  "lstat64", "mkdir", "mkdirat", "mknod", "mknodat", "newfstatat", "oldfstat",
		  "oldlstat", "oldstat", "open", "openat", "openat2", "readlink", "readlinkat",
		  "removexattr", "rename", "renameat", "renameat2", "rmdir", "setxattr", "stat",
		  "stat64", "statfs", "statfs64", "statx", "symlink", "symlinkat", "truncate",
		  "truncate64", "unlink", "unlinkat", "utime", "utimensat", "utimensat_time64",
		  "utimes") },
	{ "@io-event", "event loops: poll, select, epoll, eventfd",
	  MEMBERS("_newselect", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old",
		  "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd",
		  "eventfd2", "poll", "ppoll", "ppoll_time64", "pselect6", "pselect6_time64",
		  "select") },
	{ "@ipc", "pipes, SysV IPC, POSIX message queues, memfd, cross-process memory",
	  MEMBERS("ipc", "memfd_create", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
		  "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink",
		  "msgctl", "msgget", "msgrcv", "msgsnd", "pipe", "pipe2", "process_madvise",
		  "process_vm_readv", "process_vm_writev", "semctl", "semget", "semop",
		  "semtimedop", "semtimedop_time64", "shmat", "shmctl", "shmdt", "shmget") },
	{ "@keyring", "the kernel keyring", MEMBERS("add_key", "keyctl", "request_key") },
	/* Filled from every syscall table at expansion time (members NULL). */
	{ "@known", "every system call the compiler's syscall tables know", NULL },
	{ "@memlock", "locking memory into RAM",
	  MEMBERS("mlock", "mlock2", "mlockall", "munlock", "munlockall") },
	{ "@module", "loading and unloading kernel modules",
	  MEMBERS("delete_module", "finit_module", "init_module") },
	{ "@mount", "mounting, unmounting and changing the root of file systems",
	  MEMBERS("chroot", "fsconfig", "fsmount", "fsopen", "fspick", "mount", "mount_setattr",
		  "move_mount", "open_tree", "pivot_root", "umount", "umount2") },
	{ "@network-io", "sockets: network and local (AF_UNIX) I/O",
	  MEMBERS("accept", "accept4", "bind", "connect", "getpeername", "getsockname",
		  "getsockopt", "listen", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64",
		  "recvmsg", "send", "sendmmsg", "sendmsg", "sendto", "setsockopt", "shutdown",
		  "socket", "socketcall", "socketpair") },
	{ "@obsolete", "obsolete, unusual or never implemented calls",
	  MEMBERS("_sysctl", "afs_syscall", "bdflush", "break", "create_module", "ftime",
		  "get_kernel_syms", "getpmsg", "gtty", "idle", "lock", "mpx", "prof", "profil",
		  "putpmsg", "query_module", "security", "sgetmask", "ssetmask", "stty", "sysfs",
		  "tuxcall", "ulimit", "uselib", "ustat", "vserver") },
	{ "@pkey", "memory protection keys", MEMBERS("pkey_alloc", "pkey_free", "pkey_mprotect") },
	{ "@privileged", "calls that need a capability (CAP_SYS_ADMIN, CAP_SETUID, ...)",
	  MEMBERS("@chown", "@clock", "@module", "@raw-io", "@reboot", "@swap", "_sysctl", "acct",
		  "bpf", "capset", "chroot", "fanotify_init", "fanotify_mark", "nfsservctl",
		  "open_by_handle_at", "pivot_root", "quotactl", "quotactl_fd", "setdomainname",
		  "setfsuid", "setfsuid32", "setgroups", "setgroups32", "sethostname", "setresuid",
		  "setresuid32", "setreuid", "setreuid32", "setuid", "setuid32", "vhangup") },
	{ "@process", "processes and threads: clone, fork, exec, wait, kill, namespaces",
	  MEMBERS("capget", "clone", "clone3", "execveat", "fork", "getrusage", "kill",
		  "pidfd_open", "pidfd_send_signal", "prctl", "rt_sigqueueinfo",
		  "rt_tgsigqueueinfo", "setns", "swapcontext", "tgkill", "times", "tkill",
		  "unshare", "vfork", "wait4", "waitid", "waitpid") },
	{ "@raw-io", "raw I/O ports and PCI configuration",
	  MEMBERS("ioperm", "iopl", "pciconfig_iobase", "pciconfig_read", "pciconfig_write",
		  "s390_pci_mmio_read", "s390_pci_mmio_write") },
	{ "@reboot", "rebooting and loading a new kernel",
	  MEMBERS("kexec_file_load", "kexec_load", "reboot") },
	{ "@resources", "changing priorities, CPU affinity, memory policy and limits",
	  MEMBERS("ioprio_set", "mbind", "migrate_pages", "move_pages", "nice", "sched_setaffinity",
		  "sched_setattr", "sched_setparam", "sched_setscheduler", "set_mempolicy",
		  "set_mempolicy_home_node", "setpriority", "setrlimit") },
	{ "@sandbox", "a program confining itself further: seccomp, Landlock",
	  MEMBERS("landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self",
		  "seccomp") },
	{ "@setuid", "changing user and group ids",
	  MEMBERS("setgid", "setgid32", "setgroups", "setgroups32", "setregid", "setregid32",
		  "setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32",
		  "setuid", "setuid32") },
	{ "@signal", "signal handlers, masks, waiting for signals, signalfd",
	  MEMBERS("rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigsuspend",
		  "rt_sigtimedwait", "rt_sigtimedwait_time64", "sigaction", "sigaltstack", "signal",
		  "signalfd", "signalfd4", "sigpending", "sigprocmask", "sigsuspend") },
	{ "@swap", "enabling and disabling swap", MEMBERS("swapoff", "swapon") },
	{ "@sync", "flushing files and memory to storage",
	  MEMBERS("fdatasync", "fsync", "msync", "sync", "sync_file_range", "sync_file_range2",
		  "syncfs") },
	/*
	 * What a typical service needs, as systemd's @system-service, but
	 * without userfaultfd: a favourite of kernel exploits (racing the
	 * kernel's copy from user memory), which services do not call.
	 * @sandbox is in: a service that confines itself further is welcome.
	 */
	{ "@system-service", "what a typical system service needs (most groups above)",
	  MEMBERS("@aio", "@basic-io", "@chown", "@default", "@file-system", "@io-event", "@ipc",
		  "@keyring", "@memlock", "@network-io", "@process", "@resources", "@sandbox",
		  "@setuid", "@signal", "@sync", "@timer", "arm_fadvise64_64", "capset",
		  "copy_file_range", "fadvise64", "fadvise64_64", "flock", "get_mempolicy",
		  "getcpu", "getpriority", "ioctl", "ioprio_get", "kcmp", "madvise", "mremap",
		  "name_to_handle_at", "oldolduname", "olduname", "personality", "readahead",
		  "readdir", "remap_file_pages", "sched_get_priority_max", "sched_get_priority_min",
		  "sched_getattr", "sched_getparam", "sched_getscheduler", "sched_rr_get_interval",
		  "sched_rr_get_interval_time64", "sendfile", "sendfile64", "setfsgid",
		  "setfsgid32", "setfsuid", "setfsuid32", "setpgid", "setsid", "splice", "sysinfo",
		  "tee", "umask", "uname", "vmsplice") },
	{ "@timer", "timers and alarms",
	  MEMBERS("alarm", "getitimer", "setitimer", "timer_create", "timer_delete",
		  "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
		  "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
		  "timerfd_settime", "timerfd_settime64", "times") },
};

_Static_assert(ARRAY_SIZE(groups) <= GROUPS_MAX, "a set of groups must fit a uint64_t");

const struct groups_group *groups_all(size_t *count)
{
	*count = ARRAY_SIZE(groups);
	return groups;
}

const struct groups_group *groups_find(const char *name, size_t len)
{
	size_t lo = 0, hi = ARRAY_SIZE(groups);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		size_t glen = strlen(groups[mid].name);
		int c = strncmp(groups[mid].name, name, len < glen ? len : glen);

		if (!c)
			c = glen < len ? -1 : glen > len;
		if (!c)
			return &groups[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *groups_suggest(const char *name, size_t len)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;

	for (size_t i = 0; i < ARRAY_SIZE(groups); i++) {
		size_t d =
			text_edit_distance(name, len, groups[i].name, strlen(groups[i].name), true);

		if (d < bestd) {
			bestd = d;
			best = groups[i].name;
		}
	}
	return best && text_is_close(bestd, len) ? best : NULL;
}

/* The names of one expansion, before sorting and removing repeats. */
struct name_list {
	const char **v;
	size_t n, cap;
};

static int name_push(struct name_list *l, const char *name)
{
	if (ARRAY_GROW(&l->v, &l->cap, l->n + 1))
		return -1;
	l->v[l->n++] = name;
	return 0;
}

static int push_known(struct name_list *l)
{
	size_t n;
	const char *const *all = syscalls_all_names(&n);

	if (!all)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (name_push(l, all[i]))
			return -1;
	return 0;
}

/* The group's names, nested groups walked with a stack (each group once). */
static int collect(const struct groups_group *g, uint64_t *done, struct name_list *l)
{
	const char *const *stack[GROUPS_MAX];
	int top = 0;

	if (*done & (UINT64_C(1) << (g - groups)))
		return 0;
	*done |= UINT64_C(1) << (g - groups);
	if (!g->members)
		return push_known(l);
	stack[0] = g->members;
	while (top >= 0) {
		const char *m = *stack[top];
		const struct groups_group *sub;

		if (!m) {
			top--;
			continue;
		}
		stack[top]++;
		if (m[0] != '@') {
			if (name_push(l, m))
				return -1;
			continue;
		}
		sub = groups_find(m, strlen(m));
		if (!sub || (*done & (UINT64_C(1) << (sub - groups))))
			continue;
		*done |= UINT64_C(1) << (sub - groups);
		/* Each group is pushed once at most: the stack cannot overflow. */
		if (!sub->members) {
			if (push_known(l))
				return -1;
		} else if (top + 1 < (int)ARRAY_SIZE(stack)) {
			stack[++top] = sub->members;
		}
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int groups_expand(const struct groups_group *g, uint64_t *done,
		  int (*fn)(void *ctx, const char *name), void *ctx)
{
	struct name_list l = { 0 };
	int rc = 0;

	if (collect(g, done, &l)) {
		free(l.v);
		return -1;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_names);
	for (size_t i = 0; i < l.n && !rc; i++)
		if (!i || strcmp(l.v[i], l.v[i - 1]))
			rc = fn(ctx, l.v[i]);
	free(l.v);
	return rc;
}

void groups_digest(uint8_t out[DIGEST_SIZE])
{
	struct digest_ctx c;

	/* @known's members are the tables, which the source digest covers. */
	digest_init(&c);
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++) {
		digest_update(&c, groups[i].name, strlen(groups[i].name) + 1);
		for (const char *const *m = groups[i].members; m && *m; m++)
			digest_update(&c, *m, strlen(*m) + 1);
		digest_update(&c, "", 1);
	}
	digest_final(&c, out);
}

static int print_member(void *ctx, const char *name)
{
	FILE *out = ctx;

	if (syscalls_known_anywhere(name))
		fprintf(out, "%s\n", name);
	else /* a comment, so that the output stays a policy without warnings */
		fprintf(out, "# %s: not in the syscall tables of libseccomp %s (ENOSYS)\n", name,
			syscalls_library_version());
	return 0;
}

int groups_print(FILE *out, const char *name)
{
	const struct groups_group *g;
	char full[64];
	uint64_t done = 0;

	if (!name) {
		for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
			fprintf(out, "%-16s %s\n", groups[i].name, groups[i].description);
		return 0;
	}
	snprintf(full, sizeof(full), "%s%s", name[0] == '@' ? "" : "@", name);
	g = groups_find(full, strlen(full));
	if (!g)
		return -1;
	fprintf(out, "# %s: %s\n", g->name, g->description);
	if (g->members) {
		bool nested = false;

		for (const char *const *m = g->members; *m; m++) {
			if ((*m)[0] != '@')
				continue;
			fprintf(out, "%s %s", nested ? "" : "# with", *m);
			nested = true;
		}
		if (nested)
			fputc('\n', out);
	}
	if (groups_expand(g, &done, print_member, out))
		return -1;
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * The syscall tables, read from libseccomp: the only file that includes
 * <seccomp.h>.  For each supported architecture, the numbers libseccomp
 * knows are scanned once (its table windows), giving the names, the
 * numbers and their complement (the unknown numbers, which the filters
 * answer with ENOSYS), and a digest that changes when a table changes.
 */
#include "sysfence/compile/syscalls.h"

#include "sysfence/compile/abi.h"

#include <pthread.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/array.h"
#include "sysfence/compile/text.h"
#include "sysfence/util.h"

uint32_t syscalls_arch_from_name(const char *name)
{
	size_t n;
	const struct abi *abis = abi_all(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(abis[i].name, name))
			return abis[i].token;
	/* Accept libseccomp's own spellings too ("x32" is refused: killed). */
	if (!strcmp(name, "i386") || !strcmp(name, "i686"))
		return SCMP_ARCH_X86;
	if (!strcmp(name, "amd64"))
		return SCMP_ARCH_X86_64;
	if (!strcmp(name, "arm64"))
		return SCMP_ARCH_AARCH64;
	return 0;
}

const char *syscalls_arch_name(uint32_t arch)
{
	const struct abi *a = abi_get(arch);

	return a ? a->name : NULL;
}

uint32_t syscalls_native_arch(void)
{
	return seccomp_arch_native();
}

size_t syscalls_default_arches(uint32_t *arches, size_t max)
{
	const struct abi *a = abi_get(seccomp_arch_native());
	size_t n = 0;

	if (!a || !max)
		return 0;
	arches[n++] = a->token;
	if (a->compat && n < max)
		arches[n++] = a->compat;
	return n;
}

/* ---- the syscall table libseccomp knows, per architecture ---- */

struct named_nr {
	char *name;
	uint32_t nr;
};

struct arch_table {
	struct syscalls_range *unknown; /* sorted, covers everything up to 0xffffffff */
	size_t nunknown;
	struct named_nr *names; /* every syscall of the arch, sorted by name */
	size_t nnames, capnames;
	uint32_t *numbers;	     /* the same numbers, ascending */
	const char **nr_names;	     /* their names, in the same order */
	uint8_t digest[DIGEST_SIZE]; /* of every (number, name) known */
	int failed;
};

/* One per ABI of abi_all(), in its order. */
#define MAX_TABLES 32
static struct arch_table tables[MAX_TABLES];
static pthread_mutex_t tables_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Is nr a syscall of the arch?  Records its name (the direct number of a
 * call that libseccomp also knows as multiplexed, like socket on x86) and
 * feeds (nr, name) into the table's digest.  -1 when out of memory.
 */
static int nr_known(struct arch_table *t, uint32_t arch, uint32_t nr, struct digest_ctx *dc)
{
	char *name = seccomp_syscall_resolve_num_arch(arch, (int)nr);

	if (!name)
		return 0;
	digest_update(dc, &nr, sizeof(nr));
	digest_update(dc, name, strlen(name) + 1);
	if (ARRAY_GROW(&t->names, &t->capnames, t->nnames + 1)) {
		free(name);
		return -1;
	}
	t->names[t->nnames++] = (struct named_nr){ name, nr };
	return 1;
}

static int cmp_named_nr(const void *a, const void *b)
{
	return strcmp(((const struct named_nr *)a)->name, ((const struct named_nr *)b)->name);
}

static int push_range(struct arch_table *t, size_t *cap, uint32_t lo, uint32_t hi)
{
	if (ARRAY_GROW(&t->unknown, cap, t->nunknown + 1))
		return -1;
	t->unknown[t->nunknown++] = (struct syscalls_range){ lo, hi };
	return 0;
}

/* Unknown numbers = the complement of the known ones within the windows. */
static int build_table(const struct abi *a, struct arch_table *t)
{
	const uint32_t windows[2] = { a->window, a->extra };
	size_t cap = 0;
	uint64_t next = 0; /* first number not yet classified */
	struct digest_ctx dc;

	/*
	 * Built from empty (arch_table() calls this only while unknown is
	 * NULL): push_range() then allocates before its first store.
	 */
	t->nunknown = 0;
	digest_init(&dc);
	digest_update(&dc, &a->token, sizeof(a->token));
	if (a->window && push_range(t, &cap, 0, a->window - 1))
		return -1;
	if (a->window)
		next = a->window;
	for (int w = 0; w < 2; w++) {
		uint32_t base = windows[w];
		int64_t start = -1;

		if (w == 1 && !base)
			break;
		if (base > next && push_range(t, &cap, (uint32_t)next, base - 1))
			return -1;
		for (uint32_t nr = base; nr < base + SYSCALLS_WINDOW_SIZE; nr++) {
			int known = nr_known(t, a->token, nr, &dc);

			if (known < 0)
				return -1;
			if (!known && start < 0)
				start = nr;
			if (known && start >= 0) {
				if (push_range(t, &cap, (uint32_t)start, nr - 1))
					return -1;
				start = -1;
			}
		}
		next = start >= 0 ? (uint64_t)start : (uint64_t)base + SYSCALLS_WINDOW_SIZE;
	}
	digest_final(&dc, t->digest);
	/* Found in ascending order: the numbers before sorting by name. */
	t->numbers = malloc((t->nnames + 1) * sizeof(*t->numbers));
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	t->nr_names = malloc((t->nnames + 1) * sizeof(*t->nr_names));
	if (!t->numbers || !t->nr_names)
		return -1;
	for (size_t i = 0; i < t->nnames; i++) {
		t->numbers[i] = t->names[i].nr;
		t->nr_names[i] = t->names[i].name;
	}
	qsort(t->names, t->nnames, sizeof(*t->names), cmp_named_nr);
	return push_range(t, &cap, (uint32_t)next, UINT32_MAX);
}

static const struct arch_table *arch_table(uint32_t arch)
{
	size_t count;
	const struct abi *all = abi_all(&count), *a = abi_get(arch);
	struct arch_table *t;

	if (!a || (size_t)(a - all) >= MAX_TABLES)
		return NULL;
	t = &tables[a - all];
	pthread_mutex_lock(&tables_lock);
	if (!t->unknown && !t->failed) {
		if (build_table(a, t)) {
			for (size_t i = 0; i < t->nnames; i++)
				free(t->names[i].name);
			free(t->names);
			free(t->unknown);
			free(t->numbers);
			free(t->nr_names);
			t->numbers = NULL;
			t->nr_names = NULL;
			t->names = NULL;
			t->unknown = NULL;
			t->nunknown = t->nnames = 0;
			t->failed = 1;
		}
	}
	pthread_mutex_unlock(&tables_lock);
	return t->failed ? NULL : t;
}

void syscalls_init(void)
{
	uint32_t arches[2];
	size_t n = syscalls_default_arches(arches, 2);
	scmp_filter_ctx ctx;

	/* Let libseccomp run its one-time kernel probes before any thread. */
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx)
		seccomp_release(ctx);
	for (size_t i = 0; i < n; i++)
		arch_table(arches[i]);
}

/* The direct number of name on the arch, from the table; -1 if none. */
static int direct_nr(const struct arch_table *t, const char *name)
{
	struct named_nr key = { (char *)name, 0 };
	const struct named_nr *hit;

	if (!t)
		return -1;
	hit = bsearch(&key, t->names, t->nnames, sizeof(*t->names), cmp_named_nr);
	return hit ? (int)hit->nr : -1;
}

int syscalls_nr(uint32_t arch, const char *name)
{
	int nr = direct_nr(arch_table(arch), name);

	/*
	 * The table has one name per number; libseccomp may know a second
	 * spelling.  Its negative numbers (a pseudo-syscall such as socketcall
	 * on x86_64, a call it reports as multiplexed) are no number at all:
	 * the multiplexers are the ABI model's (abi.h).
	 */
	if (nr < 0)
		nr = seccomp_syscall_resolve_name_arch(arch, name);
	return nr >= 0 ? nr : -1;
}

const char *syscalls_name(uint32_t arch, int nr, char *buf, size_t len)
{
	const struct arch_table *t = arch_table(arch);
	size_t lo = 0, hi = t ? t->nnames : 0;

	/*
	 * From the scanned table, not libseccomp directly: it also names
	 * numbers outside the ABI's window (mips o32 "54" for 4054), which
	 * the kernel does not know and the filters answer with ENOSYS.
	 */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->numbers[mid] == (uint32_t)nr) {
			snprintf(buf, len, "%s", t->nr_names[mid]);
			return buf;
		}
		if (t->numbers[mid] < (uint32_t)nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool syscalls_known_anywhere(const char *name)
{
	/* libseccomp gives every name of its master table a native number,
	 * a negative pseudo number when the native arch lacks the call. */
	return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

/*
 * Names that snapd's templates (and older policies) use although no
 * architecture has a syscall of that name.  An alias is taken as the syscall
 * it stands for when the C library's function of that name makes exactly
 * that syscall with its arguments in the same slots, or the kernel itself
 * calls the syscall so (sys_llseek is the _llseek slot).  The rest allow
 * nothing: their functions make other syscalls with other arguments
 * (statvfs calls statfs, or statfs64 with a size in slot 1 on 32-bit ABIs),
 * or no kernel ever had them.  docs/policy-language.md has the reasons.
 */
static const struct {
	const char *name, *syscall;
} syscall_aliases[] = {
	{ "_exit", "exit" },		       /* _exit(2) is the exit syscall */
	{ "llseek", "_llseek" },	       /* sys_llseek, 32-bit ABIs only */
	{ "pread", "pread64" },		       /* renamed in Linux 2.6 */
	{ "pselect", "pselect6" },	       /* slots 0..4 the same; 5 a pointer */
	{ "pwrite", "pwrite64" },	       /* renamed in Linux 2.6 */
	{ "sigtimedwait", "rt_sigtimedwait" }, /* plus the sigset size in slot 3 */
	{ "sigwaitinfo", "rt_sigtimedwait" },  /* with a NULL timeout in slot 2 */
};

static const char *const libc_only[] = {
	"fstatvfs", /* fstatfs/fstatfs64, another struct */
	"lchownat", /* no such function: fchownat(..., AT_SYMLINK_NOFOLLOW) */
	"oldwait4", /* never a Linux syscall on these architectures */
	"setpgrp",  /* setpgid(0, 0) */
	"statvfs",  /* statfs/statfs64, another struct */
};

/*
 * Linux syscalls (up to 6.18 and the 6.19 merge window) that libseccomp
 * 2.5 does not know.  A newer libseccomp knows some of them; then
 * syscalls_known_anywhere() answers first.  Their numbers are unknown to
 * the tables, so the filters answer them with ENOSYS.
 */
static const char *const newer_syscalls[] = {
	"cachestat",	    "fchmodat2",
	"file_getattr",	    "file_setattr",
	"futex_requeue",    "futex_wait",
	"futex_wake",	    "getxattrat",
	"listmount",	    "listns",
	"listxattrat",	    "lsm_get_self_attr",
	"lsm_list_modules", "lsm_set_self_attr",
	"map_shadow_stack", "mseal",
	"open_tree_attr",   "removexattrat",
	"riscv_hwprobe",    "rseq_slice_yield",
	"setxattrat",	    "statmount",
	"uretprobe",
};

bool syscalls_newer_than_tables(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(newer_syscalls); i++)
		if (!strcmp(newer_syscalls[i], name))
			return true;
	return false;
}

const char *syscalls_alias(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(syscall_aliases); i++)
		if (!strcmp(syscall_aliases[i].name, name))
			return syscall_aliases[i].syscall;
	return NULL;
}

bool syscalls_libc_only(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(libc_only); i++)
		if (!strcmp(libc_only[i], name))
			return true;
	return false;
}

static const char **all_names;
static size_t nall_names;
static pthread_once_t all_names_once = PTHREAD_ONCE_INIT;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The union of every arch table's names (they live as long as the tables). */
static void build_all_names(void)
{
	size_t total = 0, n = 0, nabis;
	const struct abi *abis = abi_all(&nabis);
	const char **v;

	for (size_t i = 0; i < nabis; i++) {
		const struct arch_table *t = arch_table(abis[i].token);

		if (!t)
			return;
		total += t->nnames;
	}
	v = malloc((total + 1) * sizeof(*v));
	if (!v)
		return;
	for (size_t i = 0; i < nabis; i++) {
		const struct arch_table *t = arch_table(abis[i].token);

		for (size_t k = 0; t && k < t->nnames && n < total; k++)
			v[n++] = t->names[k].name;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	total = n;
	n = 0;
	for (size_t i = 0; i < total; i++)
		if (!n || strcmp(v[i], v[n - 1]))
			v[n++] = v[i];
	all_names = v;
	nall_names = n;
}

const char *const *syscalls_all_names(size_t *count)
{
	pthread_once(&all_names_once, build_all_names);
	*count = all_names ? nall_names : 0;
	return all_names;
}

const char *syscalls_suggest(const char *name, char *buf, size_t len)
{
	static const uint32_t suggest_from[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_AARCH64,
						 SCMP_ARCH_ARM };
	size_t best = (size_t)-1, best_arch = 0, nlen = strlen(name);
	uint32_t best_nr = 0;
	const char *best_name = NULL;

	/*
	 * The names the arch tables already hold; the first arch, then the
	 * lowest number, wins a tie (their main window only: no ARM private
	 * calls), so a suggestion never depends on the table's order.
	 */
	for (size_t i = 0; i < ARRAY_SIZE(suggest_from); i++) {
		const struct arch_table *t = arch_table(suggest_from[i]);
		const struct abi *a = abi_get(suggest_from[i]);

		for (size_t k = 0; t && k < t->nnames; k++) {
			const struct named_nr *c = &t->names[k];
			size_t d;

			if (c->nr >= a->window + SYSCALLS_WINDOW_SIZE)
				continue;
			d = text_edit_distance(name, nlen, c->name, strlen(c->name), true);
			if (d < best || (d == best && i == best_arch && c->nr < best_nr)) {
				best = d;
				best_arch = i;
				best_nr = c->nr;
				best_name = c->name;
			}
		}
	}
	if (!best_name || !text_is_close(best, nlen))
		return NULL;
	snprintf(buf, len, "%s", best_name);
	return buf;
}

static char library_version[32];
static pthread_once_t library_version_once = PTHREAD_ONCE_INIT;

static void read_library_version(void)
{
	const struct scmp_version *sv = seccomp_version();

	snprintf(library_version, sizeof(library_version), "%u.%u.%u", sv->major, sv->minor,
		 sv->micro);
}

const char *syscalls_library_version(void)
{
	/* Written once: concurrent batch workers read it. */
	pthread_once(&library_version_once, read_library_version);
	return library_version;
}

int syscalls_table_digest(const uint32_t *arches, size_t n, uint8_t out[DIGEST_SIZE])
{
	struct digest_ctx c;

	digest_init(&c);
	for (size_t i = 0; i < n; i++) {
		const struct arch_table *t = arch_table(arches[i]);

		if (!t)
			return -1;
		digest_update(&c, t->digest, DIGEST_SIZE);
	}
	digest_final(&c, out);
	return 0;
}

const struct syscalls_range *syscalls_unknown(uint32_t arch, size_t *count)
{
	const struct arch_table *t = arch_table(arch);

	*count = t ? t->nunknown : 0;
	return t ? t->unknown : NULL;
}

const uint32_t *syscalls_numbers(uint32_t arch, size_t *count)
{
	const struct arch_table *t = arch_table(arch);

	*count = t ? t->nnames : 0;
	return t ? t->numbers : NULL;
}

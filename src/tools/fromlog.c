// SPDX-License-Identifier: MIT
/*
 * --from-log: from seccomp audit records to the policy lines that would
 * have allowed them.  The records name (arch, number); the lines are per
 * syscall name, which is what makes one policy serve every architecture.
 * With an existing policy, its compiled programs decide what it already
 * allows, via the same constant emulation the kernel's action cache uses:
 * a call the policy allows whatever the arguments is not suggested again.
 */
#include "sysfence/tools/fromlog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sysfence/array.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/tools/flow.h"
#include "sysfence/util.h"

/* TASK_COMM_LEN - 1: the kernel keeps 15 bytes of a program's name. */
#define COMM_KEPT 15

struct fromlog_file {
	bool exists;
	dev_t dev;
	ino_t ino;
};

static struct fromlog_file file_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return (struct fromlog_file){ false, 0, 0 };
	return (struct fromlog_file){ true, st.st_dev, st.st_ino };
}

void fromlog_init(struct fromlog *l, const struct fromlog_filter *f)
{
	memset(l, 0, sizeof(*l));
	if (f)
		l->filter = *f;
	if (!l->filter.nexes)
		return;
	l->exe_files = calloc(l->filter.nexes, sizeof(*l->exe_files));
	if (!l->exe_files) {
		l->oom = 1;
		return;
	}
	for (size_t i = 0; i < l->filter.nexes; i++)
		l->exe_files[i] = file_of(l->filter.exes[i]);
}

void fromlog_free(struct fromlog *l)
{
	free(l->entries);
	free(l->index);
	free(l->seen);
	free(l->exe_files);
	free(l->last_exe);
	memset(l, 0, sizeof(*l));
}

/*
 * Is the record's executable one of --exe?  The same path, or the same
 * file (device and inode, symlinks followed): on a merged-/usr system
 * /bin/ls and /usr/bin/ls are one file, and the kernel logs the path it
 * resolved.  A log read on another machine names files that may not exist
 * here; then only the path can match.  Records of one program come in
 * runs, so the last answer is kept.
 */
static bool exe_matches(struct fromlog *l, const char *exe)
{
	struct fromlog_file file;
	bool ok = false;

	for (size_t i = 0; i < l->filter.nexes; i++)
		if (!strcmp(exe, l->filter.exes[i]))
			return true;
	if (!l->exe_files)
		return false;
	if (l->last_exe && !strcmp(l->last_exe, exe))
		return l->last_exe_matched;
	file = file_of(exe);
	for (size_t i = 0; file.exists && i < l->filter.nexes; i++)
		ok |= l->exe_files[i].exists && l->exe_files[i].dev == file.dev &&
		      l->exe_files[i].ino == file.ino;
	free(l->last_exe);
	l->last_exe = strdup(exe);
	l->last_exe_matched = ok;
	return ok;
}

static bool filter_matches(struct fromlog *l, const struct auditlog_record *r)
{
	const struct fromlog_filter *f = &l->filter;
	bool ok;

	if (f->ncomms) {
		ok = false;
		for (size_t i = 0; r->has_comm && i < f->ncomms; i++)
			ok |= !strncmp(r->comm, f->comms[i], COMM_KEPT) &&
			      (strlen(f->comms[i]) >= COMM_KEPT || !strcmp(r->comm, f->comms[i]));
		if (!ok)
			return false;
	}
	if (f->nexes && !(r->has_exe && exe_matches(l, r->exe)))
		return false;
	if (f->npids) {
		ok = false;
		for (size_t i = 0; r->pid >= 0 && i < f->npids; i++)
			ok |= r->pid == f->pids[i];
		if (!ok)
			return false;
	}
	return true;
}

/* Returns true when the record was seen before (same serial and call). */
static bool seen_before(struct fromlog *l, const struct auditlog_record *r)
{
	uint64_t k = FNV1A64_INIT;

	if (!r->has_serial)
		return false;
	k = fnv1a64(k, &r->serial, sizeof(r->serial));
	k = fnv1a64(k, &r->millis, sizeof(r->millis));
	k = fnv1a64(k, &r->pid, sizeof(r->pid));
	k = fnv1a64(k, &r->arch, sizeof(r->arch));
	if (r->has_nr)
		k = fnv1a64(k, &r->nr, sizeof(r->nr));
	else
		k = fnv1a64(k, r->syscall_name, strlen(r->syscall_name));
	k |= 1; /* 0 marks an empty slot */
	if (l->seen_count >= FROMLOG_MAX_SEEN) {
		/* Full: still finds the duplicates of what it holds, adds nothing. */
		for (size_t j = k % l->seen_cap; l->seen[j]; j = (j + 1) % l->seen_cap)
			if (l->seen[j] == k)
				return true;
		l->stats.unchecked++;
		return false;
	}
	if (2 * (l->seen_count + 1) > l->seen_cap) {
		size_t ncap = l->seen_cap ? 2 * l->seen_cap : 1024;
		uint64_t *n = calloc(ncap, sizeof(*n));

		if (!n) {
			l->oom = 1;
			return false;
		}
		for (size_t i = 0; i < l->seen_cap; i++) {
			size_t j;

			if (!l->seen[i])
				continue;
			for (j = l->seen[i] % ncap; n[j]; j = (j + 1) % ncap)
				;
			n[j] = l->seen[i];
		}
		free(l->seen);
		l->seen = n;
		l->seen_cap = ncap;
	}
	for (size_t j = k % l->seen_cap;; j = (j + 1) % l->seen_cap) {
		if (l->seen[j] == k)
			return true;
		if (!l->seen[j]) {
			l->seen[j] = k;
			l->seen_count++;
			return false;
		}
	}
}

static uint64_t entry_key(const struct auditlog_record *r)
{
	uint64_t k = FNV1A64_INIT;

	k = fnv1a64(k, &r->arch, sizeof(r->arch));
	k = fnv1a64(k, r->arch_text, strlen(r->arch_text));
	if (r->has_nr)
		return fnv1a64(k, &r->nr, sizeof(r->nr));
	return fnv1a64(k ^ 1, r->syscall_name, strlen(r->syscall_name));
}

static bool entry_is(const struct fromlog_entry *c, const struct auditlog_record *r)
{
	return c->arch == r->arch && !strcmp(c->arch_text, r->arch_text) &&
	       c->has_nr == r->has_nr &&
	       (r->has_nr ? c->nr == r->nr : !strcmp(c->name, r->syscall_name));
}

/* The index over entries: rebuilt at twice the size when half full. */
static int index_grow(struct fromlog *l)
{
	size_t ncap = l->index_cap ? 2 * l->index_cap : 256;
	uint32_t *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -1;
	for (size_t i = 0; i < l->count; i++) {
		const struct fromlog_entry *e = &l->entries[i];
		struct auditlog_record key = { .arch = e->arch, .has_nr = e->has_nr, .nr = e->nr };
		size_t j;

		memcpy(key.arch_text, e->arch_text, sizeof(key.arch_text));
		memcpy(key.syscall_name, e->name, sizeof(key.syscall_name));
		for (j = entry_key(&key) & (ncap - 1); n[j]; j = (j + 1) & (ncap - 1))
			;
		n[j] = (uint32_t)(i + 1);
	}
	free(l->index);
	l->index = n;
	l->index_cap = ncap;
	return 0;
}

void fromlog_add(struct fromlog *l, const struct auditlog_record *r)
{
	struct fromlog_entry *e = NULL;
	size_t j;

	if (2 * (l->count + 1) > l->index_cap && index_grow(l)) {
		l->oom = 1;
		return;
	}
	for (j = entry_key(r) & (l->index_cap - 1); l->index[j]; j = (j + 1) & (l->index_cap - 1)) {
		if (entry_is(&l->entries[l->index[j] - 1], r)) {
			e = &l->entries[l->index[j] - 1];
			break;
		}
	}
	if (!e) {
		if (l->count >= FROMLOG_MAX_ENTRIES) {
			l->stats.untracked++;
			return;
		}
		if (ARRAY_GROW(&l->entries, &l->cap, l->count + 1)) {
			l->oom = 1;
			return;
		}
		e = &l->entries[l->count++];
		l->index[j] = (uint32_t)l->count;
		memset(e, 0, sizeof(*e));
		e->arch = r->arch;
		memcpy(e->arch_text, r->arch_text, sizeof(e->arch_text));
		e->has_nr = r->has_nr;
		e->nr = r->nr;
		memcpy(e->name, r->syscall_name, sizeof(e->name));
	}
	e->count++;
	if (r->has_code && (r->code & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
		e->errnos++;
}

void fromlog_feed_line(struct fromlog *l, const char *line, size_t len, bool cut)
{
	struct auditlog_record rec;
	enum auditlog_kind kind;

	if (!cut && memchr(line, '\0', len)) {
		/* No text format has NUL: a binary journal field, not a record. */
		l->stats.binary++;
		return;
	}
	if (!cut && len && line[len - 1] == '\r')
		len--;
	if (cut || len > AUDITLOG_LINE_MAX) {
		/* Never read as a record: a truncated one would look valid. */
		l->stats.too_long++;
		if (auditlog_overlong(line, len) == AUDITLOG_MALFORMED) {
			l->stats.records++;
			l->stats.malformed++;
		}
		return;
	}
	kind = auditlog_line(line, len, &rec);
	switch (kind) {
	case AUDITLOG_NONE:
		break;
	case AUDITLOG_OTHER:
		l->stats.other++;
		break;
	case AUDITLOG_MALFORMED:
		l->stats.records++;
		l->stats.malformed++;
		break;
	case AUDITLOG_RECORD:
		l->stats.records++;
		if (!filter_matches(l, &rec)) {
			l->stats.filtered++;
		} else if (seen_before(l, &rec)) {
			l->stats.duplicates++;
		} else {
			l->stats.used++;
			fromlog_add(l, &rec);
		}
		break;
	}
}

void fromlog_feed(struct fromlog *l, const char *buf, size_t len)
{
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		/* As a streaming reader sees it: an over-long line arrives cut. */
		if (n > FROMLOG_LINE_MAX)
			fromlog_feed_line(l, buf + pos, FROMLOG_LINE_MAX + 1, true);
		else
			fromlog_feed_line(l, buf + pos, n, false);
		pos += n + (nl ? 1 : 0);
	}
}

size_t fromlog_arches(const struct fromlog *l, uint32_t *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < l->count; i++) {
		uint32_t a = l->entries[i].arch;
		bool dup = false;

		if (!a || !syscalls_arch_name(a))
			continue;
		for (size_t j = 0; j < n; j++)
			dup |= out[j] == a;
		if (!dup && n < max)
			out[n++] = a;
	}
	return n;
}

/* ---- classification and output ---- */

static struct fromlog_where rule_line(const struct tool_input *p, const char *name, bool deny,
				      bool with_args)
{
	for (size_t i = 0; p && i < p->pol.count; i++) {
		const struct policy_rule *r = &p->pol.rules[i];

		if (r->deny == deny && !strcmp(r->name, name) && (!with_args || r->nargs))
			return (struct fromlog_where){ r->file, r->line };
	}
	return (struct fromlog_where){ 0, 0 };
}

static enum fromlog_class classify(const struct tool_input *p, uint32_t arch, uint32_t nr,
				   const char *name, const struct fromlog_entry *e,
				   struct fromlog_where *line)
{
	const struct blob *b;
	struct flow_const c;

	/*
	 * With the policy, its own programs say what each call gets; the
	 * record's action only settles a call whose explicit denial depends
	 * on arguments: ERRNO records of a call the allow program always
	 * allows can only come from the '~' rule.
	 */

	*line = (struct fromlog_where){ 0, 0 };
	if (!p) {
		/*
		 * Without the policy an ERRNO record cannot be told apart
		 * (EPERM, EACCES or ENOSYS: see fromlog.h); only clone3 has a
		 * known reason, the compiler's ENOSYS for an unmentioned one.
		 */
		if (!strcmp(name, "clone3") && e->errnos == e->count)
			return FROMLOG_ENOSYS;
		return FROMLOG_ADD;
	}
	b = &p->blob;
	if (b->mode == SF_MODE_UNRESTRICTED)
		return FROMLOG_ALREADY;
	if (!blob_has_arch(b, arch))
		return FROMLOG_ADD;
	if (b->deny.len) {
		flow_const_run(b->deny.insns, b->deny.len, arch, nr, &c);
		if ((c.kind == FLOW_CONST && c.action != SECCOMP_RET_ALLOW) ||
		    (c.kind != FLOW_CONST && e->errnos == e->count &&
		     flow_const_allow(b->allow.insns, b->allow.len, arch, nr))) {
			*line = rule_line(p, name, true, false);
			return FROMLOG_DENIED;
		}
	}
	flow_const_run(b->allow.insns, b->allow.len, arch, nr, &c);
	if (c.kind != FLOW_CONST) {
		*line = rule_line(p, name, false, true);
		return FROMLOG_ADD_PARTIAL;
	}
	if (c.action == SECCOMP_RET_ALLOW)
		return FROMLOG_ALREADY;
	if (c.action == (SECCOMP_RET_ERRNO | EACCES)) {
		*line = rule_line(p, name, true, false);
		return FROMLOG_DENIED;
	}
	if (c.action == (SECCOMP_RET_ERRNO | ENOSYS))
		return FROMLOG_ENOSYS;
	return FROMLOG_ADD;
}

struct items {
	struct fromlog_item *v;
	size_t n, cap;
};

/* A new item; build_items merges the equal ones once sorted. */
static struct fromlog_item *item_add(struct items *it, enum fromlog_class cls, const char *name,
				     const char *arch_text, uint32_t nr)
{
	if (ARRAY_GROW(&it->v, &it->cap, it->n + 1))
		return NULL;
	memset(&it->v[it->n], 0, sizeof(it->v[0]));
	it->v[it->n].cls = cls;
	snprintf(it->v[it->n].name, sizeof(it->v[0].name), "%s", name);
	snprintf(it->v[it->n].arch_text, sizeof(it->v[0].arch_text), "%s", arch_text);
	it->v[it->n].nr = nr;
	return &it->v[it->n++];
}

static int item_cmp(const void *a, const void *b)
{
	const struct fromlog_item *x = a, *y = b;
	int c;

	/* Named calls first, by name; then the nameless, by arch and number. */
	if (!*x->name != !*y->name)
		return *x->name ? -1 : 1;
	c = strcmp(x->name, y->name);

	if (c)
		return c;
	c = strcmp(x->arch_text, y->arch_text);
	if (c)
		return c;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return (int)x->cls - (int)y->cls;
}

void fromlog_arch_add(uint32_t *arches, size_t *n, uint32_t arch)
{
	if (!arch)
		return;
	for (size_t j = 0; j < *n; j++)
		if (arches[j] == arch)
			return;
	if (*n < BLOB_MAX_ARCHES)
		arches[(*n)++] = arch;
}

/*
 * Equal items (one per entry) merged after sorting: a search per entry
 * was quadratic, 20 s for the 65536 entries an endless log can fill.
 */
static void merge_items(struct items *it)
{
	size_t k = 0;

	for (size_t i = 0; i < it->n; i++) {
		struct fromlog_item *x = &it->v[i];

		if (k && !item_cmp(&it->v[k - 1], x)) {
			struct fromlog_item *y = &it->v[k - 1];

			y->count += x->count;
			if (!y->where.line)
				y->where = x->where;
			for (size_t j = 0; j < x->narches; j++)
				fromlog_arch_add(y->arches, &y->narches, x->arches[j]);
			continue;
		}
		if (k != i)
			it->v[k] = *x;
		k++;
	}
	it->n = k;
}

static void build_items(const struct fromlog *l, const struct tool_input *p, struct items *it)
{
	for (size_t i = 0; i < l->count; i++) {
		const struct fromlog_entry *e = &l->entries[i];
		char name[AUDITLOG_NAME_MAX] = "";
		const char *arch_text = "";
		enum fromlog_class cls;
		struct fromlog_where line = { 0, 0 };
		uint32_t nr = e->nr;
		struct fromlog_item *x;

		if (!e->arch || !syscalls_arch_name(e->arch)) {
			cls = FROMLOG_UNKNOWN_ARCH;
			arch_text = e->arch_text;
			nr = 0;
		} else if (e->has_nr) {
			if (syscalls_name(e->arch, (int)e->nr, name, sizeof(name))) {
				cls = classify(p, e->arch, e->nr, name, e, &line);
			} else {
				cls = FROMLOG_UNKNOWN_NR;
				arch_text = syscalls_arch_name(e->arch);
			}
		} else {
			int n = syscalls_nr(e->arch, e->name);

			snprintf(name, sizeof(name), "%s", e->name);
			if (n < 0) {
				cls = FROMLOG_UNKNOWN_NAME;
				arch_text = syscalls_arch_name(e->arch);
				nr = 0;
			} else {
				nr = (uint32_t)n;
				cls = classify(p, e->arch, nr, name, e, &line);
			}
		}
		if (cls != FROMLOG_UNKNOWN_NR)
			nr = 0; /* lines are per name, not per number */
		x = item_add(it, cls, name, arch_text, nr);
		if (!x)
			continue;
		x->count = e->count;
		x->where = line;
		fromlog_arch_add(x->arches, &x->narches, e->arch);
	}
	if (it->n)
		qsort(it->v, it->n, sizeof(it->v[0]), item_cmp);
	merge_items(it);
}

void fromlog_classify(const struct fromlog *l, const struct tool_input *pol,
		      struct fromlog_item **items, size_t *count)
{
	struct items it = { 0 };

	build_items(l, pol, &it);
	*items = it.v;
	*count = it.n;
}

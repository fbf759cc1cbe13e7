// SPDX-License-Identifier: MIT
/*
 * Turning a verified blob into filters: pure decisions (which kernel
 * questions, the plan, whether the profile lets the launcher's own calls
 * after the load through), the system calls that attach them (load_apply),
 * and the proof that they are attached (load_verify_*).
 */
#include "sysfence/launch/load.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sysfence/util.h"

#ifndef SECCOMP_FILTER_FLAG_LOG
#define SECCOMP_FILTER_FLAG_LOG (1UL << 1)
#endif

/* Rewrites actions the kernel lacks into the nearest one it has. */
static void adapt(struct bpf_prog *p, const struct probe_features *f, struct load_plan *plan)
{
	/* An unknown action is a kill: LOG must become what it means, ALLOW. */
	if (!f->action_log)
		plan->log_to_allow +=
			bpf_rewrite_ret(p->insns, p->len, SECCOMP_RET_LOG, SECCOMP_RET_ALLOW);
	/* KILL_THREAD is the kill every filter-capable kernel has. */
	if (!f->action_kill_process)
		plan->kill_process_to_thread += bpf_rewrite_ret(
			p->insns, p->len, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD);
}

unsigned load_questions(const struct blob *b)
{
	unsigned ask = PROBE_ASK_FILTER;

	if (b->mode == SF_MODE_UNRESTRICTED || !b->allow.len)
		return 0; /* nothing will be attached */
	for (int which = 0; which < 2; which++) {
		const struct bpf_prog *p = which ? &b->allow : &b->deny;

		if (bpf_returns(p->insns, p->len, SECCOMP_RET_LOG))
			ask |= PROBE_ASK_LOG;
		if (bpf_returns(p->insns, p->len, SECCOMP_RET_KILL_PROCESS))
			ask |= PROBE_ASK_KILL_PROCESS;
	}
	return ask;
}

static int to_fprog(const struct bpf_prog *p, struct sock_fprog *out, char *why, size_t whylen)
{
	/* blob_parse checked this; checked again before the u16 store. */
	if (p->len > BPF_MAXINSNS)
		return util_fail(why, whylen, "program longer than BPF_MAXINSNS");
	out->len = (unsigned short)p->len;
	out->filter = p->len ? p->insns : NULL;
	return 0;
}

int load_prepare(struct blob *b, uint32_t arch, const struct probe_features *f,
		 struct load_plan *plan, char *why, size_t whylen)
{
	memset(plan, 0, sizeof(*plan));
	/* An unrestricted blob may list no architecture at all. */
	if ((b->narches || b->mode != SF_MODE_UNRESTRICTED) && !blob_has_arch(b, arch))
		return util_fail(
			why, whylen,
			"profile not compiled for this architecture (" LOAD_NATIVE_ARCH_NAME ")");
	if (b->mode == SF_MODE_UNRESTRICTED)
		return 0; /* nothing to load, nothing to rewrite */
	if (!b->allow.len)
		return util_fail(why, whylen, "profile has no program");

	if (to_fprog(&b->deny, &plan->deny, why, whylen) ||
	    to_fprog(&b->allow, &plan->allow, why, whylen))
		return -1;

	plan->method = f->seccomp_syscall ? LOAD_SECCOMP : LOAD_PRCTL;
	/* prctl(PR_SET_SECCOMP) takes no flags; FLAG_LOG came after seccomp(2). */
	plan->flags = f->seccomp_syscall && f->filter_flag_log ? SECCOMP_FILTER_FLAG_LOG : 0;
	/*
	 * ERRNO is never rewritten: filter mode has had it from the start,
	 * and a kernel without it would kill instead, which is stricter.
	 */
	adapt(&b->deny, f, plan);
	adapt(&b->allow, f, plan);
	return 0;
}

static int attach(const struct load_plan *plan, const struct sock_fprog *prog)
{
	long rc;

	if (plan->method == LOAD_SECCOMP)
		rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, plan->flags, prog);
	else
		rc = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog, 0, 0);
	return rc == 0 ? 0 : -errno;
}

int load_apply(const struct load_plan *plan, const char **stage)
{
	int rc;

	*stage = "deny filter";
	if (plan->deny.len) {
		rc = attach(plan, &plan->deny);
		if (rc)
			return rc;
	}
	*stage = "allow filter";
	if (plan->allow.len) {
		rc = attach(plan, &plan->allow);
		if (rc)
			return rc;
	}
	return 0;
}

unsigned load_filter_count(const struct load_plan *plan)
{
	return (plan->deny.len ? 1u : 0u) + (plan->allow.len ? 1u : 0u);
}

int load_first_denied(const struct blob *b, const struct load_call *calls, size_t n,
		      uint32_t *verdict)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t v = blob_verdict(b, &calls[i].data, NULL, NULL, NULL);
		uint32_t action = v & SECCOMP_RET_ACTION_FULL;

		if (action != SECCOMP_RET_ALLOW && action != SECCOMP_RET_LOG) {
			*verdict = v;
			return (int)i;
		}
	}
	return -1;
}

void load_status_init(struct load_status *st)
{
	memset(st, 0, sizeof(*st));
	st->mode = -1;
	st->filters = -1;
}

/* "KEY:<blanks>DIGITS" at the start of a line: the number, or -1. */
static long field(const char *line, size_t len, const char *key)
{
	size_t k = strlen(key), i = k;
	long v = 0;

	if (len <= k || memcmp(line, key, k))
		return -1;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == len)
		return -1;
	for (; i < len; i++) {
		if (line[i] < '0' || line[i] > '9' || v > 100000000)
			return -1;
		v = v * 10 + (line[i] - '0');
	}
	return v;
}

static void status_line(struct load_status *st)
{
	long v;

	/* A line longer than the buffer is none of ours. */
	if (st->line_len > sizeof(st->line))
		return;
	v = field(st->line, st->line_len, "Seccomp:");
	if (v >= 0)
		st->mode = (int)v;
	v = field(st->line, st->line_len, "Seccomp_filters:");
	if (v >= 0)
		st->filters = v;
}

void load_status_feed(struct load_status *st, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			status_line(st);
			st->line_len = 0;
			continue;
		}
		if (st->line_len < sizeof(st->line))
			st->line[st->line_len] = buf[i];
		if (st->line_len <= sizeof(st->line))
			st->line_len++;
	}
}

int load_status_verified(const struct load_status *before, const struct load_status *after,
			 unsigned attached, char *why, size_t whylen)
{
	if (before->mode < 0 || after->mode < 0)
		return util_fail(why, whylen, "no Seccomp line in /proc/self/status");
	if (before->filters >= 0 && after->filters >= 0) {
		if (after->filters == before->filters + (long)attached &&
		    after->mode == SECCOMP_MODE_FILTER)
			return 0;
		return util_fail(why, whylen,
				 "the kernel did not attach the filters (Seccomp_filters %ld, "
				 "wanted %ld): a filter above the launcher fakes seccomp()",
				 after->filters, before->filters + (long)attached);
	}
	/* Before 5.9: only a task with no filter yet can be judged. */
	if (before->mode != 0)
		return util_fail(why, whylen,
				 "cannot prove the filters are attached under another filter "
				 "on a kernel without Seccomp_filters (before Linux 5.9)");
	if (after->mode != SECCOMP_MODE_FILTER || !attached)
		return util_fail(why, whylen, "the kernel did not attach the filters (Seccomp %d)",
				 after->mode);
	return 0;
}

/*
 * The buffer of the read made after attaching: static, so that the call
 * simulated beforehand (load_verify_calls) has the very arguments.
 */
static char verify_buf[4096];

static int open_status(char *why, size_t whylen)
{
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		util_fail(why, whylen,
			  "cannot prove the filters get attached: /proc/self/status: %s "
			  "(is /proc mounted?)",
			  strerror(errno));
	return fd;
}

/*
 * Reads until Seccomp_filters (the last line we need) or the end.  The same
 * arguments on every read, and nothing else: after the attach the profile
 * decides what may be called.
 */
static int read_status(int fd, struct load_status *st, char *why, size_t whylen)
{
	load_status_init(st);
	for (;;) {
		ssize_t n = read(fd, verify_buf, sizeof(verify_buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return util_fail(why, whylen, "cannot read /proc/self/status: %s",
					 strerror(errno));
		if (n == 0)
			break;
		load_status_feed(st, verify_buf, (size_t)n);
		if (st->filters >= 0)
			break;
	}
	load_status_feed(st, "\n", 1); /* a last line without its newline */
	return 0;
}

int load_verify_begin(struct load_verify *v, char *why, size_t whylen)
{
	v->before_fd = open_status(why, whylen);
	if (v->before_fd < 0)
		return -1;
	v->after_fd = open_status(why, whylen);
	if (v->after_fd < 0) {
		close(v->before_fd);
		return -1;
	}
	if (read_status(v->before_fd, &v->before, why, whylen) < 0)
		return -1;
	/* Never needed again: descriptors are scarce under RLIMIT_NOFILE. */
	close(v->before_fd);
	v->before_fd = -1;
	return 0;
}

int load_verify_end(struct load_verify *v, unsigned attached, char *why, size_t whylen)
{
	struct load_status after;

	/* Left open for the exec to close: close() may not be allowed now. */
	if (read_status(v->after_fd, &after, why, whylen) < 0)
		return -1;
	return load_status_verified(&v->before, &after, attached, why, whylen);
}

size_t load_verify_calls(const struct load_verify *v, struct load_call *calls, size_t max)
{
	if (!max)
		return 0;
	memset(&calls[0], 0, sizeof(calls[0]));
	calls[0].name = "read";
	calls[0].data.nr = __NR_read;
	calls[0].data.arch = LOAD_NATIVE_ARCH;
	calls[0].data.args[0] = (uint64_t)v->after_fd;
	calls[0].data.args[1] = (uint64_t)(uintptr_t)verify_buf;
	calls[0].data.args[2] = sizeof(verify_buf);
	return 1;
}

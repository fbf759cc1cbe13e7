// SPDX-License-Identifier: MIT
/*
 * Turning a verified blob into filters: pure decisions (which kernel
 * questions, the plan, whether the profile lets the launcher's own calls
 * after the load through), and the system calls that attach them and
 * prove the attach real (load_apply).  Shared by sysfence-launch and
 * libsysfence: the only file that attaches filters.
 */
#include "sysfence/lib/load.h"

#include <errno.h>
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
	if ((b->narches || b->mode != SF_MODE_UNRESTRICTED) && !blob_has_arch(b, arch)) {
		util_fail(why, whylen,
			  "profile not compiled for this architecture (" LOAD_NATIVE_ARCH_NAME ")");
		return LOAD_ERR_ARCH;
	}
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

/*
 * Every attach goes through here, with all six arguments given (no stray
 * register reaches seccomp_data.args) and from this one call site (the
 * same instruction pointer), so calls with the same fprog object are
 * byte-identical to any filter above us.
 */
static int attach(const struct load_plan *plan, const struct sock_fprog *prog)
{
	long rc;

	if (plan->method == LOAD_SECCOMP)
		rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, plan->flags, prog, 0, 0, 0);
	else
		rc = syscall(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog, 0, 0, 0);
	return rc == 0 ? 0 : -errno;
}

int load_apply(const struct load_plan *plan, const char **stage)
{
	/*
	 * One object for every call: its address is an argument.  One per
	 * thread, for libsysfence's callers: a filter belongs to a thread.
	 */
	static _Thread_local struct sock_fprog prog;
	int rc;

	*stage = plan->deny.len ? LOAD_STAGE_DENY : LOAD_STAGE_ALLOW;
	if (!plan->allow.len)
		return 0;
	/*
	 * The twin: the same call with a program of length 0, which the
	 * kernel refuses with EINVAL before anything else (the length is
	 * checked before privileges: seccomp_prepare_filter).  A classic BPF
	 * filter is stateless and sees only the number, the architecture,
	 * the instruction pointer and the arguments, all identical here, so
	 * a filter above us answers the twin as it will answer the real
	 * attach: a 0 means it fakes success (ERRNO(0)), and no 0 that
	 * follows could be believed.
	 */
	prog = (struct sock_fprog){ 0, NULL };
	rc = attach(plan, &prog);
	if (rc == 0)
		return LOAD_FAKED;
	if (rc != -EINVAL)
		return rc;
	if (plan->deny.len) {
		prog = plan->deny;
		rc = attach(plan, &prog);
		if (rc)
			return rc;
	}
	*stage = LOAD_STAGE_ALLOW;
	prog = plan->allow;
	return attach(plan, &prog);
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

// SPDX-License-Identifier: MIT
/*
 * Turning a verified blob into filters: a pure decision (load_prepare) and
 * the two system calls that attach them (load_apply).
 */
#include "sysfence/launch/load.h"

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

// SPDX-License-Identifier: MIT
#include "sysfence/bpf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int fail(char *why, size_t whylen, size_t pc, const char *msg)
{
	if (why && whylen)
		snprintf(why, whylen, "instruction %zu: %s", pc, msg);
	return -1;
}

/*
 * Actions a program may return.  The kernel treats an action it does not
 * know as KILL, and ERRNO(0) would make a denied call look successful, so
 * only canonical values pass.  TRACE and USER_NOTIF hand decisions to
 * another process: never from a profile.
 */
static int action_ok(uint32_t k)
{
	uint32_t data = k & SECCOMP_RET_DATA;

	switch (k & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
	case SECCOMP_RET_KILL_THREAD:
	case SECCOMP_RET_LOG:
	case SECCOMP_RET_ALLOW:
		return data == 0;
	case SECCOMP_RET_TRAP:
		return 1;
	case SECCOMP_RET_ERRNO:
		return data >= 1 && data <= 4095;
	default:
		return 0;
	}
}

int bpf_check(const struct sock_filter *p, size_t len, char *why, size_t whylen)
{
	if (len == 0)
		return fail(why, whylen, 0, "empty program");
	/* Checked before the length is ever stored in sock_fprog.len (u16). */
	if (len > BPF_MAXINSNS)
		return fail(why, whylen, len, "more than BPF_MAXINSNS instructions");
	if (p[0].code != SF_BPF_LD_ABS || p[0].k != BPF_OFF_ARCH)
		return fail(why, whylen, 0, "does not start by loading the architecture");

	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *i = &p[pc];
		size_t left = len - pc - 1; /* instructions after this one */

		switch (i->code) {
		case SF_BPF_LD_ABS:
			if (i->k >= sizeof(struct seccomp_data) || i->k % 4)
				return fail(why, whylen, pc, "load outside seccomp_data");
			break;
		case SF_BPF_AND_K:
			break;
		case SF_BPF_JA:
			if (i->k >= left)
				return fail(why, whylen, pc, "jump out of the program");
			break;
		case SF_BPF_JEQ_K:
		case SF_BPF_JGT_K:
		case SF_BPF_JGE_K:
		case SF_BPF_JSET_K:
			if (i->jt >= left || i->jf >= left)
				return fail(why, whylen, pc, "jump out of the program");
			break;
		case SF_BPF_RET_K:
			if (!action_ok(i->k))
				return fail(why, whylen, pc, "forbidden return action");
			break;
		default:
			return fail(why, whylen, pc, "instruction not allowed");
		}
	}
	if (p[len - 1].code != SF_BPF_RET_K)
		return fail(why, whylen, len - 1, "program does not end with a return");
	return 0;
}

static uint32_t load_word(const struct seccomp_data *d, uint32_t off)
{
	uint32_t w;

	memcpy(&w, (const unsigned char *)d + off, sizeof(w));
	return w;
}

uint32_t bpf_run(const struct sock_filter *p, size_t len, const struct seccomp_data *d,
		 unsigned *steps)
{
	uint32_t a = 0;
	unsigned n = 0;
	size_t pc = 0;

	/* Defensive: an unchecked program cannot read or jump out of bounds. */
	while (pc < len) {
		const struct sock_filter *i = &p[pc];
		int taken;

		n++;
		switch (i->code) {
		case SF_BPF_LD_ABS:
			if (i->k > sizeof(*d) - 4)
				goto bad;
			a = load_word(d, i->k);
			pc++;
			continue;
		case SF_BPF_AND_K:
			a &= i->k;
			pc++;
			continue;
		case SF_BPF_JA:
			pc += 1 + (size_t)i->k;
			continue;
		case SF_BPF_JEQ_K:
			taken = a == i->k;
			break;
		case SF_BPF_JGT_K:
			taken = a > i->k;
			break;
		case SF_BPF_JGE_K:
			taken = a >= i->k;
			break;
		case SF_BPF_JSET_K:
			taken = (a & i->k) != 0;
			break;
		case SF_BPF_RET_K:
			if (steps)
				*steps = n;
			return i->k;
		default:
			goto bad;
		}
		pc += 1 + (size_t)(taken ? i->jt : i->jf);
	}
bad:
	if (steps)
		*steps = n;
	return SECCOMP_RET_KILL_PROCESS;
}

static int32_t action_rank(uint32_t ret)
{
	return (int32_t)(ret & SECCOMP_RET_ACTION_FULL);
}

uint32_t bpf_combine(uint32_t newer, uint32_t older)
{
	/* kernel/seccomp.c seccomp_run_filters(): strict '<' keeps the newer. */
	return action_rank(older) < action_rank(newer) ? older : newer;
}

size_t bpf_rewrite_ret(struct sock_filter *p, size_t len, uint32_t from, uint32_t to)
{
	size_t n = 0;

	for (size_t pc = 0; pc < len; pc++) {
		if (p[pc].code == SF_BPF_RET_K && p[pc].k == from) {
			p[pc].k = to;
			n++;
		}
	}
	return n;
}

bool bpf_returns(const struct sock_filter *p, size_t len, uint32_t action)
{
	for (size_t pc = 0; pc < len; pc++)
		if (p[pc].code == SF_BPF_RET_K && p[pc].k == action)
			return true;
	return false;
}

static const char *errno_name(unsigned e)
{
	switch (e) {
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case EACCES:
		return "EACCES";
	case ENOSYS:
		return "ENOSYS";
	case EINVAL:
		return "EINVAL";
	case EAFNOSUPPORT:
		return "EAFNOSUPPORT";
	case ENOTSUP:
		return "ENOTSUP";
	}
	return NULL;
}

const char *bpf_action_name(uint32_t action, char *buf, size_t buflen)
{
	uint32_t data = action & SECCOMP_RET_DATA;
	const char *name;

	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		name = "KILL_PROCESS";
		break;
	case SECCOMP_RET_KILL_THREAD:
		name = "KILL_THREAD";
		break;
	case SECCOMP_RET_TRAP:
		name = "TRAP";
		break;
	case SECCOMP_RET_ERRNO: {
		const char *e = errno_name(data);

		if (e)
			snprintf(buf, buflen, "ERRNO(%s)", e);
		else
			snprintf(buf, buflen, "ERRNO(%u)", data);
		return buf;
	}
	case SECCOMP_RET_USER_NOTIF:
		name = "USER_NOTIF";
		break;
	case SECCOMP_RET_TRACE:
		snprintf(buf, buflen, "TRACE(%u)", data);
		return buf;
	case SECCOMP_RET_LOG:
		name = "LOG";
		break;
	case SECCOMP_RET_ALLOW:
		name = "ALLOW";
		break;
	default:
		snprintf(buf, buflen, "UNKNOWN(0x%08x)", action);
		return buf;
	}
	snprintf(buf, buflen, "%s", name);
	return buf;
}

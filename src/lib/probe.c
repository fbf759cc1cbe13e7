// SPDX-License-Identifier: MIT
/*
 * Kernel feature probes.  Each question is asked in the one way the kernel
 * defines an answer for, and any errno outside that contract is an error:
 * the launcher then refuses to load rather than guess.
 */
#include "sysfence/lib/probe.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sysfence/bpf.h"
#include "sysfence/util.h"

#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL 2
#endif
#ifndef SECCOMP_FILTER_FLAG_LOG
#define SECCOMP_FILTER_FLAG_LOG (1UL << 1)
#endif

/*
 * An errno that is not the probe's own answer: ENOSYS means no seccomp(2)
 * at all (before 3.17, or a filter above us says so), anything else is an
 * error.  The same for every probe.
 */
static enum probe_answer probe_other_errno(int err)
{
	return err == ENOSYS ? PROBE_NOSYS : PROBE_ERROR;
}

enum probe_answer probe_interpret_flag_log(long rc, int err)
{
	/*
	 * seccomp_set_mode_filter() validates the flags before it copies the
	 * program from user memory: a known flag with a NULL program fails
	 * with EFAULT, an unknown flag with EINVAL.  The capability check
	 * comes after the copy, so EACCES cannot come first.  ENOSYS: no
	 * seccomp(2) (before 3.17, or a filter above us says so).
	 */
	if (rc != -1)
		return PROBE_ERROR; /* a NULL program can never be attached */
	switch (err) {
	case EFAULT:
		return PROBE_YES;
	case EINVAL:
		return PROBE_NO;
	default:
		return probe_other_errno(err);
	}
}

enum probe_answer probe_interpret_action_avail(long rc, int err)
{
	/*
	 * seccomp_get_action_avail() returns 0 for a known action and
	 * EOPNOTSUPP for an unknown one; a kernel without the operation
	 * (before 4.14) rejects the operation itself with EINVAL, and has
	 * neither LOG nor KILL_PROCESS.
	 */
	if (rc == 0)
		return PROBE_YES;
	if (rc != -1)
		return PROBE_ERROR;
	switch (err) {
	case EOPNOTSUPP:
	case EINVAL:
		return PROBE_NO;
	default:
		return probe_other_errno(err);
	}
}

static enum probe_answer ask_action(uint32_t action)
{
	long rc = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action);

	return probe_interpret_action_avail(rc, rc < 0 ? errno : 0);
}

int probe_kernel(struct probe_features *f, unsigned ask, char *why, size_t whylen)
{
	static const struct {
		unsigned question;
		uint32_t action;
		const char *name;
	} actions[] = {
		{ PROBE_ASK_LOG, SECCOMP_RET_LOG, "SECCOMP_RET_LOG" },
		{ PROBE_ASK_KILL_PROCESS, SECCOMP_RET_KILL_PROCESS, "SECCOMP_RET_KILL_PROCESS" },
		{ PROBE_ASK_ERRNO, SECCOMP_RET_ERRNO, "SECCOMP_RET_ERRNO" },
	};
	bool *answer[] = { &f->action_log, &f->action_kill_process, &f->action_errno };
	enum probe_answer a;
	long rc;
	int err;

	memset(f, 0, sizeof(*f));
	if (!ask)
		return 0;
	rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, NULL);
	err = rc < 0 ? errno : 0;
	a = probe_interpret_flag_log(rc, err);
	if (a == PROBE_ERROR) {
		snprintf(why, whylen, "cannot probe seccomp: unexpected %s",
			 rc < 0 ? strerror(err) : "success");
		return -1;
	}
	if (a == PROBE_NOSYS) {
		/*
		 * No seccomp(2): a kernel older than 3.17, which has neither
		 * FLAG_LOG, LOG nor KILL_PROCESS.  Filter mode itself (3.5)
		 * came with ERRNO.
		 */
		f->action_errno = true;
		return 0;
	}
	f->seccomp_syscall = true;
	f->filter_flag_log = a == PROBE_YES;
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (!(ask & actions[i].question))
			continue;
		a = ask_action(actions[i].action);
		if (a == PROBE_ERROR || a == PROBE_NOSYS) {
			snprintf(why, whylen, "cannot probe seccomp for %s: unexpected answer",
				 actions[i].name);
			return -1;
		}
		*answer[i] = a == PROBE_YES;
	}
	return 0;
}

int probe_actions_avail(char *buf, size_t buflen)
{
	ssize_t n;
	int fd;

	if (!buflen)
		return -EINVAL;
	fd = open("/proc/sys/kernel/seccomp/actions_avail", O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	n = fd_read_upto(fd, buf, 1, buflen - 1);
	close(fd);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	/* Printed as one key=value line: keep it printable. */
	for (char *p = buf; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
	return 0;
}

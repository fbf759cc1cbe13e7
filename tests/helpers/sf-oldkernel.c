// SPDX-License-Identifier: MIT
/*
 * sf-oldkernel [--user UID:GID] FEATURE[,FEATURE...] -- PROGRAM [ARG...]
 *
 * Emulates an older or hostile kernel for the launcher tests: installs a
 * parent seccomp filter that makes some seccomp(2)/prctl(2) uses fail as
 * that kernel would, then optionally becomes UID:GID (root only) and execs
 * PROGRAM.  Run as root the filter is attached WITHOUT no_new_privs (root
 * has CAP_SYS_ADMIN), so a setuid launcher exec'ed afterwards still gains
 * its privileges: the emulation covers the real setuid path.
 *
 *   nosys        seccomp(2) fails with ENOSYS (before 3.17): prctl path
 *   noflaglog    SECCOMP_SET_MODE_FILTER with FLAG_LOG fails with EINVAL
 *   noactions    SECCOMP_GET_ACTION_AVAIL fails with EOPNOTSUPP (no LOG,
 *                no KILL_PROCESS)
 *   v4.13        noflaglog plus GET_ACTION_AVAIL rejected with EINVAL
 *   nolistener   SECCOMP_SET_MODE_FILTER with FLAG_NEW_LISTENER fails with
 *                EINVAL (before 5.0: no user notification, --learn)
 *   failseccomp  attaching any real program through seccomp(2) fails (EPERM);
 *                the probes, which pass NULL, still work
 *   failprctl    prctl(PR_SET_SECCOMP) fails (EPERM)
 *   fakeseccomp  attaching any real program through seccomp(2) "succeeds"
 *                (returns 0) without attaching: ERRNO(0), a buggy outer
 *                sandbox; the probes, which pass NULL, still work
 *   fakeprctl    prctl(PR_SET_SECCOMP) returns 0 without attaching
 *   hostile      every seccomp(2) fails with EPERM, an answer no kernel gives
 *                to the probes
 */
#include <errno.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL 2
#endif
#ifndef SECCOMP_FILTER_FLAG_LOG
#define SECCOMP_FILTER_FLAG_LOG 2
#endif

#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n))
#define ARG_HI(n) (ARG_LO(n) + 4)

struct rule {
	int nr;
	int check_arg0;
	unsigned arg0;
	unsigned arg1_mask; /* 0: not checked */
	int arg2_nonzero;
	unsigned err;
};

static struct sock_filter prog[256];
static unsigned len;

static void emit(unsigned short code, unsigned char jt, unsigned char jf, unsigned k)
{
	if (len >= sizeof(prog) / sizeof(prog[0])) {
		fprintf(stderr, "sf-oldkernel: filter too long\n");
		exit(2);
	}
	prog[len++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
}

/* One rule: its failing jumps skip to the end of its block. */
static void emit_rule(const struct rule *r)
{
	unsigned skips[8], nskips = 0;

	emit(BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
	skips[nskips++] = len;
	emit(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, (unsigned)r->nr); /* jf patched */
	if (r->check_arg0) {
		emit(BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_LO(0));
		skips[nskips++] = len;
		emit(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, r->arg0);
	}
	if (r->arg1_mask) {
		emit(BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_LO(1));
		skips[nskips++] = len;
		emit(BPF_JMP | BPF_JSET | BPF_K, 0, 0, r->arg1_mask);
	}
	if (r->arg2_nonzero) {
		/* Either half non-zero: a real pointer. */
		emit(BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_LO(2));
		emit(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0); /* lo != 0: to RET */
		emit(BPF_LD | BPF_W | BPF_ABS, 0, 0, ARG_HI(2));
		skips[nskips++] = len;
		emit(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0); /* both 0: skip (jt patched) */
	}
	emit(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | r->err);
	for (unsigned i = 0; i < nskips; i++) {
		unsigned at = skips[i], dist = len - at - 1;

		if (r->arg2_nonzero && i == nskips - 1)
			prog[at].jt = (unsigned char)dist; /* equal to 0: skip */
		else
			prog[at].jf = (unsigned char)dist;
	}
}

int main(int argc, char **argv)
{
	struct rule rules[8];
	unsigned nrules = 0;
	struct sock_fprog fprog;
	char *features, *tok, *save = NULL;
	long uid = -1, gid = -1;
	int i = 1;

	if (i + 1 < argc && !strcmp(argv[i], "--user")) {
		if (sscanf(argv[i + 1], "%ld:%ld", &uid, &gid) != 2) {
			fprintf(stderr, "sf-oldkernel: --user UID:GID\n");
			return 2;
		}
		i += 2;
	}
	if (i + 2 >= argc || strcmp(argv[i + 1], "--")) {
		fprintf(stderr,
			"usage: sf-oldkernel [--user UID:GID] FEATURES -- PROGRAM [ARG...]\n");
		return 2;
	}
	features = argv[i];
	for (tok = strtok_r(features, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct rule r = { .nr = __NR_seccomp };

		if (!strcmp(tok, "nosys")) {
			r.err = ENOSYS;
		} else if (!strcmp(tok, "noflaglog")) {
			r.check_arg0 = 1;
			r.arg0 = SECCOMP_SET_MODE_FILTER;
			r.arg1_mask = SECCOMP_FILTER_FLAG_LOG;
			r.err = EINVAL;
		} else if (!strcmp(tok, "nolistener")) {
			r.check_arg0 = 1;
			r.arg0 = SECCOMP_SET_MODE_FILTER;
			r.arg1_mask = SECCOMP_FILTER_FLAG_NEW_LISTENER;
			r.err = EINVAL;
		} else if (!strcmp(tok, "noactions")) {
			r.check_arg0 = 1;
			r.arg0 = SECCOMP_GET_ACTION_AVAIL;
			r.err = EOPNOTSUPP;
		} else if (!strcmp(tok, "v4.13")) {
			r.check_arg0 = 1;
			r.arg0 = SECCOMP_SET_MODE_FILTER;
			r.arg1_mask = SECCOMP_FILTER_FLAG_LOG;
			r.err = EINVAL;
			rules[nrules++] = r;
			r.arg0 = SECCOMP_GET_ACTION_AVAIL;
			r.arg1_mask = 0;
		} else if (!strcmp(tok, "failseccomp")) {
			r.check_arg0 = 1;
			r.arg0 = SECCOMP_SET_MODE_FILTER;
			r.arg2_nonzero = 1;
			r.err = EPERM;
		} else if (!strcmp(tok, "fakeseccomp")) {
			r.check_arg0 = 1;
			r.arg0 = SECCOMP_SET_MODE_FILTER;
			r.arg2_nonzero = 1;
			r.err = 0; /* SECCOMP_RET_ERRNO | 0: the call "works" */
		} else if (!strcmp(tok, "fakeprctl")) {
			r.nr = __NR_prctl;
			r.check_arg0 = 1;
			r.arg0 = PR_SET_SECCOMP;
			r.err = 0;
		} else if (!strcmp(tok, "hostile")) {
			r.err = EPERM;
		} else if (!strcmp(tok, "failprctl")) {
			r.nr = __NR_prctl;
			r.check_arg0 = 1;
			r.arg0 = PR_SET_SECCOMP;
			r.err = EPERM;
		} else {
			fprintf(stderr, "sf-oldkernel: unknown feature %s\n", tok);
			return 2;
		}
		if (nrules >= sizeof(rules) / sizeof(rules[0]) - 1) {
			fprintf(stderr, "sf-oldkernel: too many features\n");
			return 2;
		}
		rules[nrules++] = r;
	}

	/* Other architectures (the i386 ABI) are left alone. */
	emit(BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
	emit(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, AUDIT_ARCH_X86_64);
	emit(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
	for (unsigned r = 0; r < nrules; r++)
		emit_rule(&rules[r]);
	emit(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
	fprog.len = (unsigned short)len;
	fprog.filter = prog;

	/* Root: no no_new_privs, so the setuid launcher keeps working below. */
	if (getuid() != 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		perror("sf-oldkernel: PR_SET_NO_NEW_PRIVS");
		return 2;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0) {
		perror("sf-oldkernel: PR_SET_SECCOMP");
		return 2;
	}
	if (uid >= 0) {
		if (setgroups(0, NULL) < 0 || setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) < 0 ||
		    setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0) {
			perror("sf-oldkernel: dropping to --user");
			return 2;
		}
	}
	execv(argv[i + 2], &argv[i + 2]);
	perror("sf-oldkernel: execv");
	return 127;
}

// SPDX-License-Identifier: MIT
/*
 * --learn, the supervisor: runs a program under a seccomp filter whose
 * every call the base policy does not allow goes to us as a user
 * notification (SECCOMP_RET_USER_NOTIF, Linux 5.0), is recorded with its
 * six arguments, and is let through (SECCOMP_USER_NOTIF_FLAG_CONTINUE,
 * 5.5).  Children and threads inherit the filter, so a whole process tree
 * is learned.  This is not a security boundary: with FLAG_CONTINUE the
 * kernel runs the call after we answered, with whatever the tracee's
 * memory holds then (Documentation/userspace-api/seccomp_filter.rst says
 * so); it is a way to watch an ordinary run.
 *
 * Three processes:
 *
 *   S  sysfence-compile: holds the listener, records, answers, prints.
 *   K  a sentinel child of S (no filter), PR_SET_CHILD_SUBREAPER: every
 *      process of the tree that loses its parent becomes K's child, so K
 *      can always find and kill all of them.  K waits for them, tells S
 *      the program's wait status, and when S dies (SIGKILL included: a
 *      pipe from S reads EOF) or asks, kills the whole tree.  A process
 *      that calls setsid() or changes its process group cannot leave K's
 *      tree; only a PID namespace or a cgroup could hold it tighter, and
 *      both need privileges or change what the program sees.
 *   C  K's child: PR_SET_PDEATHSIG(SIGKILL) (and getppid() checked for the
 *      race), no_new_privs, the filter with SECCOMP_FILTER_FLAG_NEW_LISTENER,
 *      the listener sent to S with SCM_RIGHTS, then execve(PROGRAM).
 *
 * Between loading the filter and the execve, C's own calls would wait for
 * a supervisor that does not have the listener yet.  They pass a random
 * 192-bit cookie in argument registers 3-5, which sendmsg, close, write
 * and exit_group ignore, and the filter's first instructions allow a call
 * carrying it; a program after the execve cannot know it.
 *
 * The run ends when every process of the tree has exited (as strace -f):
 * a daemon the program started is learned too.  SIGINT, SIGTERM or SIGHUP
 * to S kills the tree and ends the run with what was recorded.  The
 * listener stays open until K has reaped the last process: when it is
 * closed, the kernel answers pending and future notifications ENOSYS.
 */
#include "sysfence/tools/learn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysfence/bpf.h"
#include "sysfence/compile/syscalls.h"
#include "sysfence/util.h"

/* ---- the filter ---- */

#define COOKIE_WORDS 6 /* args[3..5], 32 bits at a time */
#define PROLOGUE (2 * COOKIE_WORDS + 1)

static struct sock_filter stmt(uint16_t code, uint32_t k)
{
	return (struct sock_filter){ code, 0, 0, k };
}

/*
 * Copies prog, its RETs of ALLOW kept (or made a jump to `allow_at`, the
 * index the copy's ALLOW should continue at; 0: keep) and every other RET
 * made USER_NOTIF.  Returns false for a RET that is not RET K.
 */
static bool copy_notifying(struct sock_filter *dst, size_t at, const struct bpf_prog *p,
			   size_t allow_at)
{
	for (size_t i = 0; i < p->len; i++) {
		struct sock_filter f = p->insns[i];

		if (BPF_CLASS(f.code) == BPF_RET) {
			if (BPF_RVAL(f.code) != BPF_K)
				return false;
			if (f.k == SECCOMP_RET_ALLOW && allow_at)
				f = stmt(BPF_JMP | BPF_JA, (uint32_t)(allow_at - (at + i + 1)));
			else if (f.k != SECCOMP_RET_ALLOW)
				f.k = SECCOMP_RET_USER_NOTIF;
		}
		dst[at + i] = f;
	}
	return true;
}

/*
 * The tracing filter: the cookie test, then the base policy's programs
 * (deny, then allow, as the kernel would stack them: an ALLOW of the deny
 * program goes on to the allow program) with every verdict but ALLOW
 * turned into a notification.  Where that cannot be built (over
 * BPF_MAXINSNS, a RET A), every call is notified and the supervisor asks
 * the base policy itself.  The caller frees *out.
 */
static int build_filter(const struct blob *base, const uint64_t cookie[3], struct sock_filter **out,
			size_t *len)
{
	size_t n = PROLOGUE + base->deny.len + base->allow.len;
	struct sock_filter *f;

	if (!base->allow.len || n > BPF_MAXINSNS)
		n = PROLOGUE + 1;
	f = calloc(n, sizeof(*f));
	if (!f)
		return -ENOMEM;
	for (size_t w = 0; w < COOKIE_WORDS; w++) {
		uint32_t word;

		memcpy(&word, (const char *)cookie + 4 * w, sizeof(word));
		f[2 * w] = stmt(BPF_LD | BPF_W | BPF_ABS,
				(uint32_t)(offsetof(struct seccomp_data, args[3]) + 4 * w));
		f[2 * w + 1] = (struct sock_filter){ BPF_JMP | BPF_JEQ | BPF_K, 0,
						     (uint8_t)(PROLOGUE - 2 * w - 2), word };
	}
	f[PROLOGUE - 1] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	if (n == PROLOGUE + 1 ||
	    !copy_notifying(f, PROLOGUE, &base->deny, PROLOGUE + base->deny.len) ||
	    !copy_notifying(f, PROLOGUE + base->deny.len, &base->allow, 0)) {
		n = PROLOGUE + 1;
		f[PROLOGUE] = stmt(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	}
	*out = f;
	*len = n;
	return 0;
}

/* What the base policy answers the call (the stacked programs' verdict). */
static uint32_t base_verdict(const struct blob *b, const struct seccomp_data *d)
{
	uint32_t a = SECCOMP_RET_ALLOW;

	if (b->allow.len)
		a = bpf_run(b->allow.insns, b->allow.len, d, NULL);
	if (b->deny.len)
		a = bpf_combine(a, bpf_run(b->deny.insns, b->deny.len, d, NULL));
	return a;
}

void learn_add_launcher_calls(struct learn_log *l, const struct blob *base)
{
	static const struct {
		int nr;
		uint64_t arg0;
	} calls[] = {
		/* src/launch/main.c failure_calls(): what it simulates before loading */
		{ SYS_write, STDERR_FILENO },
		{ SYS_exit_group, 125 },
		{ SYS_exit_group, 126 },
		{ SYS_exit_group, 127 },
	};
	uint32_t arch = syscalls_native_arch();

	for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
		struct seccomp_data d = { .nr = calls[i].nr, .arch = arch };
		uint32_t v;

		d.args[0] = calls[i].arg0;
		v = base_verdict(base, &d);
		if (v != SECCOMP_RET_ALLOW)
			learn_log_add_launcher(l, arch, (uint32_t)calls[i].nr,
					       (const uint64_t *)d.args, v);
	}
}

/* ---- messages on the socket pair (SOCK_SEQPACKET: one a message) ---- */

enum msg_kind {
	MSG_FILTER_FAILED = 'F', /* C: loading the filter failed; val = errno */
	MSG_EXEC_FAILED = 'X',	 /* C: execve failed; val = errno */
	MSG_STATUS = 'S',	 /* K: the program's wait status */
	MSG_DONE = 'D',		 /* K: every process of the tree is gone */
	MSG_LISTENER = 'L',	 /* C: the listener, as SCM_RIGHTS */
};

struct msg {
	char kind;
	int val;
};

/* C's calls after the filter: they carry the cookie (see the top). */
static long cookie_call(long nr, long a0, long a1, long a2, const uint64_t c[3])
{
	return syscall(nr, a0, a1, a2, (long)c[0], (long)c[1], (long)c[2]);
}

static void send_msg(int fd, char kind, int val, const uint64_t *cookie)
{
	struct msg m = { kind, val };

	if (cookie)
		(void)cookie_call(SYS_write, fd, (long)&m, sizeof(m), cookie);
	else if (write(fd, &m, sizeof(m)) < 0)
		return; /* the reader is gone: nothing to tell */
}

/* ---- C: the program ---- */

/* The signals S and K handle or ignore, and what they were before. */
static const int watched_signals[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGPIPE };

static struct {
	struct sigaction act[ARRAY_SIZE(watched_signals)];
	sigset_t mask;
} started_with;

static void __attribute__((noreturn))
run_child(const struct learn_run_opts *o, int sock, pid_t sentinel, const struct sock_filter *f,
	  size_t flen, const uint64_t cookie[3])
{
	struct sock_fprog prog = { (unsigned short)flen, (struct sock_filter *)f };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msg m = { MSG_LISTENER, 0 };
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	int lfd;

	/*
	 * K ignores the terminal's signals and blocks SIGCHLD: the program
	 * gets what sysfence-compile was started with (an ignored SIGHUP
	 * under nohup stays ignored across the exec, a handler does not).
	 */
	for (size_t i = 0; i < ARRAY_SIZE(watched_signals); i++)
		sigaction(watched_signals[i], &started_with.act[i], NULL);
	sigprocmask(SIG_SETMASK, &started_with.mask, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) || getppid() != sentinel)
		_exit(127); /* K died before the death signal was set */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		send_msg(sock, MSG_FILTER_FAILED, errno, NULL);
		_exit(125);
	}
	lfd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
			   &prog);
	if (lfd < 0) {
		send_msg(sock, MSG_FILTER_FAILED, errno, NULL);
		_exit(125);
	}
	memset(&ctl, 0, sizeof(ctl));
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &lfd, sizeof(int));
	if (cookie_call(SYS_sendmsg, sock, (long)&mh, MSG_NOSIGNAL, cookie) < 0)
		cookie_call(SYS_exit_group, 125, 0, 0, cookie);
	cookie_call(SYS_close, lfd, 0, 0, cookie);
	/* The first call the supervisor sees: the program needs it allowed. */
	syscall(SYS_execve, o->path, o->argv, environ);
	send_msg(sock, MSG_EXEC_FAILED, errno, cookie);
	cookie_call(SYS_exit_group, errno == ENOENT ? 127 : 126, 0, 0, cookie);
	_exit(126); /* not reached */
}

/* ---- K: the sentinel ---- */

/* The children of K from /proc/PID/stat, where there is no children file. */
static void kill_children_scan(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	/* readdir is thread-safe on a stream of one's own (readdir_r is deprecated) */
	/* cppcheck-suppress readdirCalled */
	while (d && (e = readdir(d))) {
		char path[300], buf[512], *rp;
		ssize_t n;
		int fd;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* "PID (COMM) STATE PPID ...": COMM may hold anything, ')' too */
		rp = strrchr(buf, ')');
		if (rp && strtol(rp + 4, NULL, 10) == (long)getpid())
			kill((pid_t)strtol(e->d_name, NULL, 10), SIGKILL);
	}
	if (d)
		closedir(d);
}

/* Sends SIGKILL to every child of K (the tree's processes all end up here). */
static void kill_children(void)
{
	char path[64], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kill_children_scan(); /* a kernel without CONFIG_PROC_CHILDREN */
		return;
	}
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		for (char *p = buf, *end; *p; p = end) {
			long pid = strtol(p, &end, 10);

			if (end == p)
				break;
			if (pid > 0)
				kill((pid_t)pid, SIGKILL);
		}
	}
	close(fd);
}

static void __attribute__((noreturn))
run_sentinel(const struct learn_run_opts *o, int sock, int life, const struct sock_filter *f,
	     size_t flen, const uint64_t cookie[3])
{
	pid_t self = getpid();
	struct pollfd pf[2];
	bool killing = false;
	sigset_t chld;
	pid_t child;
	int sfd;

	/* Orphans of the tree become ours, and stay findable. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
		_exit(125);
	for (size_t i = 0; i < ARRAY_SIZE(watched_signals); i++)
		signal(watched_signals[i], SIG_IGN);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		_exit(125);
	child = fork();
	if (child < 0)
		_exit(125);
	if (child == 0)
		run_child(o, sock, self, f, flen, cookie);
	pf[0] = (struct pollfd){ .fd = life, .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	for (;;) {
		struct signalfd_siginfo si;
		int st;
		pid_t p;

		while ((p = waitpid(-1, &st, WNOHANG)) > 0)
			if (p == child)
				send_msg(sock, MSG_STATUS, st, NULL);
		if (p < 0 && errno == ECHILD) {
			send_msg(sock, MSG_DONE, 0, NULL);
			_exit(0);
		}
		if (killing)
			kill_children();
		/* In killing mode, look again soon: orphans arrive as their parents die. */
		if (poll(pf, killing ? 1 : 2, killing ? 10 : -1) < 0 && errno != EINTR)
			_exit(125);
		if (pf[0].revents && !killing) {
			killing = true;
			pf[0] = pf[1];
		}
		while (read(sfd, &si, sizeof(si)) > 0)
			;
	}
}

/* ---- S: the supervisor ---- */

static volatile sig_atomic_t learn_stop;

static void on_stop(int sig)
{
	learn_stop = sig;
}

/* Receives a message, and the listener when it carries one (*lfd). */
static int recv_msg(int sock, struct msg *m, int *lfd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { m, sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	ssize_t n;

	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return n < 0 ? -errno : -EPIPE;
	if (n != (ssize_t)sizeof(*m))
		return -EPROTO;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(lfd, CMSG_DATA(c), sizeof(int));
	return 0;
}

/*
 * Answers one notification.  A notification of a process killed meanwhile
 * is gone: RECV and SEND fail with ENOENT, which is no error here.
 */
static int serve_one(int lfd, const struct blob *base, struct learn_log *log)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	uint32_t v;

	memset(&req, 0, sizeof(req)); /* RECV refuses a struct that is not zeroed */
	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return 0;
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	v = base_verdict(base, &req.data);
	if (v != SECCOMP_RET_ALLOW)
		learn_log_add(log, req.data.arch, (uint32_t)req.data.nr,
			      (const uint64_t *)req.data.args, v);
	/*
	 * Answer as the learned policy will: an explicit denial and ENOSYS
	 * by design (clone3, numbers the compiler does not know) fail, so
	 * the program takes the path it will take confined.
	 */
	if (v == (SECCOMP_RET_ERRNO | EACCES) || v == (SECCOMP_RET_ERRNO | ENOSYS))
		resp.error = -(int)(v & SECCOMP_RET_DATA);
	else
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	/*
	 * EINVAL: a kernel before 5.5, without FLAG_CONTINUE.  The call
	 * would wait for an answer forever: the run ends, the tree is killed.
	 */
	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno == EINVAL)
		return -EINVAL;
	return 0;
}

struct run_state {
	int sock, life, lfd;
	pid_t sentinel;
	bool have_status, done, no_continue;
	int status, exec_errno, filter_errno;
};

static void take_msg(struct run_state *s, const struct msg *m)
{
	switch (m->kind) {
	case MSG_STATUS:
		s->have_status = true;
		s->status = m->val;
		break;
	case MSG_DONE:
		s->done = true;
		break;
	case MSG_EXEC_FAILED:
		s->exec_errno = m->val;
		break;
	case MSG_FILTER_FAILED:
		s->filter_errno = m->val;
		break;
	default:
		break;
	}
}

static void supervise(struct run_state *s, const struct blob *base, struct learn_log *log)
{
	struct pollfd pf[2] = { { .fd = s->sock, .events = POLLIN },
				{ .fd = s->lfd, .events = POLLIN } };

	while (!s->done) {
		int n;

		if ((learn_stop || s->no_continue) && s->life >= 0) {
			close(s->life); /* K kills the tree */
			s->life = -1;
		}
		n = poll(pf, 2, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[1].revents & POLLIN) {
			if (serve_one(s->lfd, base, log))
				s->no_continue = true;
		} else if (pf[1].revents) {
			pf[1].fd = -1; /* POLLHUP: no process uses the filter any more */
		}
		if (pf[0].revents) {
			struct msg m = { 0, 0 };
			int ignored = -1;

			if (recv_msg(s->sock, &m, &ignored))
				break; /* K is gone */
			if (ignored >= 0)
				close(ignored);
			take_msg(s, &m);
		}
	}
}

int learn_run(const struct learn_run_opts *o, struct learn_log *log, int *status, char *why,
	      size_t whylen)
{
	struct run_state s = { .sock = -1, .life = -1, .lfd = -1 };
	struct sigaction sa = { .sa_handler = on_stop }, old[3];
	static const int stops[3] = { SIGINT, SIGTERM, SIGHUP };
	struct sock_filter *f = NULL;
	uint64_t cookie[3];
	int sv[2], lp[2], rc = -1, st;
	size_t flen;

	*status = -1;
	if (getrandom(cookie, sizeof(cookie), 0) != (ssize_t)sizeof(cookie))
		return util_fail(why, whylen, "getrandom: %s", strerror(errno));
	if (build_filter(o->base, cookie, &f, &flen))
		return util_fail(why, whylen, "out of memory");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		free(f);
		return util_fail(why, whylen, "socketpair: %s", strerror(errno));
	}
	if (pipe2(lp, O_CLOEXEC)) {
		util_fail(why, whylen, "pipe: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		free(f);
		return -1;
	}
	/* No SA_RESTART: poll returns EINTR and the loop sees the flag. */
	sigemptyset(&sa.sa_mask);
	learn_stop = 0;
	for (size_t i = 0; i < ARRAY_SIZE(watched_signals); i++)
		sigaction(watched_signals[i], NULL, &started_with.act[i]);
	sigprocmask(SIG_SETMASK, NULL, &started_with.mask);
	for (int i = 0; i < 3; i++)
		sigaction(stops[i], &sa, &old[i]);
	fflush(NULL);
	s.sentinel = fork();
	if (s.sentinel == 0) {
		close(sv[0]);
		close(lp[1]);
		run_sentinel(o, sv[1], lp[0], f, flen, cookie);
	}
	close(sv[1]);
	close(lp[0]);
	free(f);
	s.sock = sv[0];
	s.life = lp[1];
	if (s.sentinel < 0) {
		util_fail(why, whylen, "fork: %s", strerror(errno));
		goto out;
	}
	/* The listener first (or why there is none), then the run. */
	while (s.lfd < 0 && !s.done) {
		struct msg m = { 0, 0 };
		int err = recv_msg(s.sock, &m, &s.lfd);

		if (err == -EINTR)
			continue;
		if (err)
			break;
		take_msg(&s, &m);
	}
	if (s.lfd >= 0)
		supervise(&s, o->base, log);
	if (s.life >= 0)
		close(s.life); /* K kills what is left, if anything */
	s.life = -1;
	while (!s.done) {
		struct msg m = { 0, 0 };
		int ignored = -1, err = recv_msg(s.sock, &m, &ignored);

		if (err == -EINTR)
			continue;
		if (err)
			break;
		take_msg(&s, &m);
	}
	while (waitpid(s.sentinel, &st, 0) < 0 && errno == EINTR)
		;
	if (s.no_continue)
		util_fail(
			why, whylen,
			"the kernel cannot let a notified call run (SECCOMP_USER_NOTIF_FLAG_CONTINUE, "
			"Linux 5.5); the program was killed");
	else if (s.filter_errno)
		util_fail(why, whylen, "cannot load the tracing filter: %s%s",
			  strerror(s.filter_errno),
			  s.filter_errno == EINVAL ? " (the kernel lacks seccomp user notification)"
						   : "");
	else if (s.lfd < 0)
		util_fail(why, whylen, "the program's process ended before it was traced");
	else if (!s.have_status)
		util_fail(why, whylen, "the sentinel process ended without the program's status");
	else if (s.exec_errno)
		util_fail(why, whylen, "cannot run %s: %s", o->path, strerror(s.exec_errno));
	else
		rc = 0;
	*status = s.have_status ? s.status : -1;
	/* Stopped by the user: the status a shell gives a command it signalled. */
	if (learn_stop && s.have_status)
		*status = learn_stop & 0x7f;
out:
	for (int i = 0; i < 3; i++)
		sigaction(stops[i], &old[i], NULL);
	if (s.lfd >= 0)
		close(s.lfd);
	if (s.life >= 0)
		close(s.life);
	close(s.sock);
	return rc;
}

// SPDX-License-Identifier: MIT
/*
 * sysfence-launch: the setuid-root launcher.  Reads like its checklist
 * (docs/security.md explains every step and what it stops):
 *
 *   1. make fds 0-2 valid, refuse an empty argv
 *   2. record the caller's ids, drop to them keeping only CAP_SYS_ADMIN
 *   3. parse the command line
 *   4. read the profile with the caller's rights (store: trusted; path: not)
 *   5. verify the blob, ask the kernel what it needs, plan the load
 *   6. find the program via PATH; decide no_new_privs: off only for a
 *      trusted profile bound to the very file opened, which then runs
 *      from that descriptor
 *   7. simulate the calls made after the load; refuse what the profile
 *      would deny (126)
 *   8. no_new_privs or CAP_SYS_ADMIN, prove the kernel answers the attach
 *      (its refused twin), attach, exec; nothing else in between
 *
 * Any failure before exec is one line on stderr and exit 125 (126, 127 for
 * the program); the program is never run unconfined.  Only this file
 * decides to exit.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sysfence/blob.h"
#include "sysfence/launch/args.h"
#include "sysfence/launch/priv.h"
#include "sysfence/launch/program.h"
#include "sysfence/launch/trust.h"
#include "sysfence/lib/load.h"
#include "sysfence/lib/probe.h"
#include "sysfence/lib/verify.h"
#include "sysfence/path.h"
#include "sysfence/util.h"

#ifndef SYSFENCE_PROFILE_DIR
#error "SYSFENCE_PROFILE_DIR must be set by the build"
#endif

#define EXIT_LAUNCH 125 /* the launcher's own failure, as env(1) */
#define WAIT_STEP_NS (100L * 1000 * 1000)

static bool debug_enabled;

/*
 * One line of output, static so that the write after a load (simulated
 * before it, after_load_calls) has a known buffer.
 */
static char msg[1024];

/*
 * Formats one line and writes it with a single write(2): no stdio buffer
 * to flush.  Bytes outside printable ASCII become '?' so input cannot
 * drive a terminal.
 */
static void say(const char *profile, const char *fmt, va_list ap)
{
	size_t n = 0, start;
	int w;

	w = snprintf(msg, sizeof(msg), "sysfence-launch: ");
	n = (size_t)w;
	start = n;
	if (profile) {
		w = snprintf(msg + n, sizeof(msg) - n, "%.300s: ", profile);
		n += w > 0 ? (size_t)w : 0;
	}
	if (n < sizeof(msg)) {
		w = vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
		n += w > 0 ? (size_t)w : 0;
	}
	if (n > sizeof(msg) - 2)
		n = sizeof(msg) - 2;
	for (size_t i = start; i < n; i++)
		if ((unsigned char)msg[i] < 0x20 || (unsigned char)msg[i] > 0x7e)
			msg[i] = '?';
	msg[n++] = '\n';
	if (write(STDERR_FILENO, msg, n) < 0) {
		/* Nothing left to report it to. */
	}
}

static void die_status(int status, const char *profile, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
static void die_status(int status, const char *profile, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(profile, fmt, ap);
	va_end(ap);
	_exit(status);
}

#define die(profile, ...) die_status(EXIT_LAUNCH, profile, __VA_ARGS__)

static void debug(const char *profile, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void debug(const char *profile, const char *fmt, ...)
{
	va_list ap;

	if (!debug_enabled)
		return;
	va_start(ap, fmt);
	say(profile, fmt, ap);
	va_end(ap);
}

/* A usage error: the reason, then where to look. */
static void die_usage(const char *why) __attribute__((noreturn));
static void die_usage(const char *why)
{
	static const char hint[] = "Try 'sysfence-launch --help'.\n";

	debug_enabled = true;
	debug(NULL, "%s", why);
	if (write(STDERR_FILENO, hint, sizeof(hint) - 1) < 0) {
		/* Nothing left to report it to. */
	}
	_exit(EXIT_LAUNCH);
}

static void usage(FILE *out)
{
	fputs("Usage: sysfence-launch [--wait SECONDS] [--profile-dir DIR] PROFILE -- PROGRAM [ARGS...]\n"
	      "       sysfence-launch --features | --help | --version\n"
	      "\n"
	      "Runs PROGRAM confined by a compiled sysfence profile.  PROFILE is a name\n"
	      "in the trusted store (" SYSFENCE_PROFILE_DIR "/NAME.bin) or, when it\n"
	      "contains '/', a file path (untrusted).  Every profile loads with\n"
	      "no_new_privs, except a trusted one running a program it is bound to.\n"
	      "\n"
	      "  --wait SECONDS     wait up to SECONDS (0-600) for a missing profile\n"
	      "  --profile-dir DIR  another trusted store (root only)\n"
	      "  --features         print what the kernel supports and exit\n"
	      "  --help             print this help and exit\n"
	      "  --version          print the version and exit\n"
	      "\n"
	      "Exit status: PROGRAM's, or 125 launcher failure, 126 PROGRAM cannot run\n"
	      "(or the profile denies what the launcher must do after loading it),\n"
	      "127 PROGRAM not found.\n"
	      "SYSFENCE_DEBUG=1 explains how the profile loads and every fallback.\n",
	      out);
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static const char *priv_mode_name(enum priv_mode m)
{
	switch (m) {
	case PRIV_ROOT:
		return "root";
	case PRIV_SETUID:
		return "setuid-root";
	case PRIV_NONE:
		break;
	}
	return "none";
}

/* --features: one key=value line per fact. */
static void print_features(const struct priv *priv)
{
	struct probe_features f;
	char why[256], avail[256];

	if (probe_kernel(&f, PROBE_ASK_ALL, why, sizeof(why)))
		die(NULL, "%s", why);
	printf("seccomp_syscall=%s\n", yes_no(f.seccomp_syscall));
	printf("load_method=%s\n", f.seccomp_syscall ? "seccomp" : "prctl");
	printf("filter_flag_log=%s\n", yes_no(f.filter_flag_log));
	printf("action_log=%s\n", yes_no(f.action_log));
	printf("action_kill_process=%s\n", yes_no(f.action_kill_process));
	printf("action_errno=%s\n", yes_no(f.action_errno));
	printf("denials_logged=%s\n", yes_no(f.seccomp_syscall && f.filter_flag_log));
	printf("complain_mode=%s\n", f.action_log ? "log" : "allow");
	if (probe_actions_avail(avail, sizeof(avail)) == 0)
		printf("actions_avail=%s\n", avail);
	printf("arch=%s\n", LOAD_NATIVE_ARCH_NAME);
	printf("profile_dir=%s\n", SYSFENCE_PROFILE_DIR);
	printf("privileges=%s\n", priv_mode_name(priv->mode));
	/* Every profile loads with no_new_privs but for a program it is bound to. */
	printf("no_new_privs=unless-bound\n");
	/* How an attach is proved real (load_apply). */
	printf("attach_check=refused-twin\n");
	if (!f.seccomp_syscall)
		printf("note=no seccomp(2): filters load with prctl(PR_SET_SECCOMP), unlogged\n");
	else if (!f.filter_flag_log)
		printf("note=kernel lacks SECCOMP_FILTER_FLAG_LOG: denials are not logged\n");
	if (!f.action_log)
		printf("note=kernel lacks SECCOMP_RET_LOG: complain mode allows without logging\n");
	if (!f.action_kill_process)
		printf("note=kernel lacks SECCOMP_RET_KILL_PROCESS: KILL_PROCESS loads as KILL_THREAD\n");
}

/* Ends an informational action: output must have reached stdout. */
static void finish_stdout(void) __attribute__((noreturn));
static void finish_stdout(void)
{
	if (fflush(stdout) || ferror(stdout))
		die(NULL, "cannot write to standard output: %s", strerror(errno));
	_exit(0);
}

/*
 * The calls of the failure path after a load (die_status): the write of
 * the error line (the length simulated is the buffer's) and the exit, with
 * each status it may carry.
 */
static size_t failure_calls(struct load_call *calls, size_t max)
{
	static const int statuses[] = { EXIT_LAUNCH, PATH_EXIT_CANNOT_RUN, PATH_EXIT_NOT_FOUND };
	size_t n = 0;

	if (n < max) {
		memset(&calls[n], 0, sizeof(calls[n]));
		calls[n].name = "write";
		calls[n].data.nr = __NR_write;
		calls[n].data.arch = LOAD_NATIVE_ARCH;
		calls[n].data.args[0] = STDERR_FILENO;
		calls[n].data.args[1] = (uint64_t)(uintptr_t)msg;
		calls[n].data.args[2] = sizeof(msg);
		n++;
	}
	for (size_t i = 0; i < ARRAY_SIZE(statuses) && n < max; i++, n++) {
		memset(&calls[n], 0, sizeof(calls[n]));
		calls[n].name = "exit_group";
		calls[n].data.nr = __NR_exit_group;
		calls[n].data.arch = LOAD_NATIVE_ARCH;
		calls[n].data.args[0] = (uint64_t)statuses[i];
	}
	return n;
}

/* SYSFENCE_DEBUG=1: how the profile loads, and every fallback. */
static void debug_plan(const char *profile, const struct blob *b, const struct load_plan *plan,
		       enum trust_kind kind, bool bound, const char *bound_why)
{
	debug(profile, "mode=%s deny=%u allow=%u trusted=%s method=%s flag_log=%s nnp=%s",
	      sf_mode_name(b->mode), plan->deny.len, plan->allow.len,
	      yes_no(kind == TRUST_STORE_NAME), plan->method == LOAD_PRCTL ? "prctl" : "seccomp",
	      yes_no(plan->flags != 0), yes_no(plan->allow.len && !bound));
	if (plan->allow.len)
		debug(profile, "%s: %s", bound ? "without no_new_privs" : "with no_new_privs",
		      bound_why);
	if (plan->allow.len && plan->method == LOAD_PRCTL)
		debug(profile,
		      "no seccomp(2): loading with prctl(PR_SET_SECCOMP); denials are not logged");
	else if (plan->allow.len && !plan->flags)
		debug(profile, "kernel lacks SECCOMP_FILTER_FLAG_LOG; denials are not logged");
	if (plan->log_to_allow)
		debug(profile, "kernel lacks SECCOMP_RET_LOG; %zu LOG actions load as ALLOW",
		      plan->log_to_allow);
	if (plan->kill_process_to_thread)
		debug(profile,
		      "kernel lacks SECCOMP_RET_KILL_PROCESS; %zu actions load as KILL_THREAD",
		      plan->kill_process_to_thread);
}

/*
 * Step 6: may this profile load without no_new_privs for this program?
 * Only a trusted profile bound to the very file opened here, as the
 * caller (trust_program_bound); that file then runs from this descriptor
 * (exec->fd), so a rename after the check cannot change what runs.
 */
static bool bind_program(const char *profile, enum trust_kind kind, const struct blob *b,
			 const struct load_plan *plan, const struct priv *priv,
			 struct program_exec *exec)
{
	char why[512];
	const char *reason = "";
	bool bound = false, readable;
	int fd;

	/* Constant reasons: no formatting on the common path. */
	if (kind != TRUST_STORE_NAME)
		reason = "a profile given by path is never bound";
	else if (!b->nbindings)
		reason = "the profile is bound to no program";
	else if (plan->allow.len) {
		fd = program_open(exec->path, &readable);
		if (fd < 0)
			die_status(path_exit_status(-fd), profile, "cannot run %s: %s", exec->path,
				   strerror(-fd));
		bound = trust_program_bound(b, fd, readable, priv->uid, priv->gid, why,
					    sizeof(why));
		reason = why;
		if (bound)
			exec->fd = fd; /* close-on-exec: gone once it runs */
		else
			close(fd);
	}
	debug_plan(profile, b, plan, kind, bound, reason);
	return bound;
}

/*
 * Step 7: the calls made after the attach (the exec, and on failure the
 * error line and the exit) run through the simulator first; a profile that would deny one is refused (126), before
 * anything is loaded, instead of failing or crashing under it.
 */
static void refuse_denied_calls(const char *profile, const struct blob *b,
				const struct program_exec *exec)
{
	struct load_call calls[8];
	size_t n = 0;
	uint32_t verdict;
	char action[64];
	int denied;

	program_exec_call(exec, &calls[n++]);
	n += failure_calls(calls + n, ARRAY_SIZE(calls) - n);
	denied = load_first_denied(b, calls, n, &verdict);
	if (denied >= 0)
		die_status(PATH_EXIT_CANNOT_RUN, profile,
			   "cannot run %s: the profile denies %s (%s), which the launcher makes "
			   "after loading it",
			   exec->path, calls[denied].name,
			   bpf_action_name(verdict, action, sizeof(action)));
}

static int read_once(const struct launch_args *a, enum trust_kind kind, struct trust_profile *p,
		     char *why, size_t whylen)
{
	if (kind == TRUST_STORE_NAME)
		return trust_read_store(a->profile_dir ? a->profile_dir : SYSFENCE_PROFILE_DIR,
					a->profile, p, why, whylen);
	return trust_read_path(a->profile, p, why, whylen);
}

static int read_profile(const struct launch_args *a, enum trust_kind kind, struct trust_profile *p,
			char *why, size_t whylen)
{
	struct timespec now, end;
	int rc;

	/* No clock without --wait: its first read faults the vDSO data page in. */
	if (!a->wait_seconds)
		return read_once(a, kind, p, why, whylen);
	if (clock_gettime(CLOCK_MONOTONIC, &end) < 0) {
		snprintf(why, whylen, "clock_gettime: %s", strerror(errno));
		return -1;
	}
	end.tv_sec += (time_t)a->wait_seconds;
	for (;;) {
		const struct timespec step = { 0, WAIT_STEP_NS };

		rc = read_once(a, kind, p, why, whylen);
		/* Only a missing profile is worth waiting for (boot race). */
		if (rc != -ENOENT)
			return rc;
		if (clock_gettime(CLOCK_MONOTONIC, &now) < 0 || now.tv_sec > end.tv_sec ||
		    (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
			return rc;
		if (nanosleep(&step, NULL) < 0 && errno != EINTR)
			return rc;
	}
}

int main(int argc, char *argv[])
{
	struct priv priv;
	struct launch_args args;
	struct trust_profile prof;
	struct blob blob;
	struct load_plan plan;
	struct program_exec exec;
	enum trust_kind kind;
	/* Static: a search result only, off the stack's common path. */
	static char found[PATH_MAX];
	char why[512];
	const char *profile, *program, *stage, *debug_value;
	bool bound;
	int rc, err;

	/*
	 * 1. Nothing opened later may become the program's stdin/out/err.
	 * In secure mode (setuid) glibc has done it before main().
	 */
	if (!getauxval(AT_SECURE) && program_std_fds_valid() < 0)
		_exit(EXIT_LAUNCH);
	/* argv[1] would be the first environment string (CVE-2021-4034). */
	if (argc < 1 || !argv || !argv[0])
		die(NULL, "refusing to run with an empty argument list");
	/* Verbosity only: no variable changes what is trusted or loaded. */
	debug_value = getenv("SYSFENCE_DEBUG");
	debug_enabled = debug_value && !strcmp(debug_value, "1");

	/* 2. Become the caller before touching anything the caller names. */
	if (priv_init(&priv, why, sizeof(why)) || priv_drop_to_caller(&priv, why, sizeof(why)))
		die(NULL, "%s", why);

	/* 3. The command line. */
	if (args_parse(argc, argv, priv.uid == 0, &args, why, sizeof(why)))
		die_usage(why);
	switch (args.action) {
	case ARGS_HELP:
		usage(stdout);
		finish_stdout();
	case ARGS_VERSION:
		printf("sysfence-launch %s\n", SYSFENCE_VERSION);
		finish_stdout();
	case ARGS_FEATURES:
		print_features(&priv);
		finish_stdout();
	case ARGS_RUN:
		break;
	}
	profile = args.profile;

	/* 4. The profile, read with the caller's rights. */
	kind = trust_classify(profile);
	if (kind == TRUST_USER_PATH) {
		if (priv_drop_capabilities(&priv, why, sizeof(why)))
			die(profile, "%s", why);
	} else if (!priv_can_load_trusted(&priv)) {
		die(profile, "not running as setuid root, needed for a profile from the store "
			     "(a profile path loads with no_new_privs)");
	}
	if (read_profile(&args, kind, &prof, why, sizeof(why)))
		die(profile, "%s", why);
	if (prof.reopened)
		debug(profile, "the profile was replaced as it was opened; opened again %u times",
		      prof.reopened);

	/* 5. Verify, ask the kernel only what this blob needs, plan (libsysfence's verifier). */
	rc = verify_blob(prof.data, prof.len, LOAD_NATIVE_ARCH, &blob, &plan, why, sizeof(why));
	trust_profile_free(&prof);
	if (rc != VERIFY_OK)
		die(profile, "%s", why);

	/*
	 * 6. The program, as the caller; bound, or no_new_privs.  A name with
	 * '/' is not looked at before the exec: execve itself answers 127 or
	 * 126 for it, with the same line (the failure path is simulated in
	 * step 7), and a bound profile opens it anyway.
	 */
	program = args.program_argv[0];
	if (!strchr(program, '/')) {
		rc = path_find_program(program, getenv("PATH"), found, sizeof(found));
		if (rc)
			die_status(path_exit_status(-rc), profile, "cannot run %s: %s", program,
				   strerror(-rc));
		program = found;
	}
	exec = (struct program_exec){ -1, program, args.program_argv, environ };
	bound = bind_program(profile, kind, &blob, &plan, &priv, &exec);

	/* 7. What runs after the load, simulated: refuse rather than fail under it. */
	if (plan.allow.len)
		refuse_denied_calls(profile, &blob, &exec);

	/* 8. Privileges for the load, the load (proved real), the exec. */
	if (!plan.allow.len) /* unrestricted: nothing to attach */
		rc = priv_drop_capabilities(&priv, why, sizeof(why));
	else if (!bound)
		rc = priv_drop_capabilities(&priv, why, sizeof(why)) ||
		     priv_set_no_new_privs(why, sizeof(why));
	else
		rc = priv_raise_for_load(&priv, why, sizeof(why));
	if (rc)
		die(profile, "%s", why);
	rc = load_apply(&plan, &stage);
	if (rc == LOAD_FAKED)
		die(profile, "a filter above the launcher fakes seccomp(): an attach the kernel "
			     "must refuse succeeded, so no attach can be trusted");
	if (rc)
		die(profile, "cannot load the %s: %s", stage, strerror(-rc));
	program_exec(&exec);
	/* The profile lets this write and exit through (step 7). */
	err = errno;
	die_status(path_exit_status(err), profile, "cannot run %s: %s", program, strerror(err));
}

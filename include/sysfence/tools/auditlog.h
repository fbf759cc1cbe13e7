/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_AUDITLOG_H
#define SYSFENCE_TOOLS_AUDITLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Seccomp audit records (type=1326 / type=SECCOMP) as dmesg, journalctl -k,
 * /var/log/audit/audit.log and ausearch (raw or -i) print them.  Pure: bytes
 * in, records out; no allocation, no I/O, no global state, so it can be
 * fuzzed.  Nothing is trusted: every field is bounded, a comm or exe is
 * decoded from hex when the kernel encoded it, and control bytes in them are
 * replaced by '?' so printing a record cannot drive a terminal.
 */

#define AUDITLOG_COMM_MAX 64 /* TASK_COMM_LEN is 16; room for odd input */
#define AUDITLOG_EXE_MAX 4096
#define AUDITLOG_NAME_MAX 64

enum auditlog_kind {
	AUDITLOG_NONE,	    /* not an audit record at all */
	AUDITLOG_OTHER,	    /* an audit record of another type */
	AUDITLOG_RECORD,    /* a seccomp record, parsed */
	AUDITLOG_MALFORMED, /* a seccomp record missing or garbling a field */
};

struct auditlog_record {
	/* AUDIT_ARCH_* value; 0 when the record names one we do not know. */
	uint32_t arch;
	char arch_text[AUDITLOG_NAME_MAX]; /* the arch= value as written */
	/* syscall=: a number, or a name when ausearch -i interpreted it. */
	bool has_nr;
	uint32_t nr;
	char syscall_name[AUDITLOG_NAME_MAX];
	/* code=: the seccomp action; with ausearch -i only its class. */
	bool has_code;
	uint32_t code;
	bool code_is_class; /* "kill", "errno", "log" ...: no errno value */
	long long pid;	    /* -1 when absent */
	char comm[AUDITLOG_COMM_MAX];
	char exe[AUDITLOG_EXE_MAX];
	bool has_comm, has_exe;
	bool compat;
	/* audit(SECONDS.MS:SERIAL): for telling duplicates apart. */
	bool has_serial;
	unsigned long long serial;
	unsigned millis;
};

/*
 * Parses one line (without its newline; len bytes, no NUL needed).  A
 * record must have arch= and syscall=; a bad number or an unterminated
 * quote makes it MALFORMED.  rec is filled only for AUDITLOG_RECORD.
 */
enum auditlog_kind auditlog_line(const char *line, size_t len, struct auditlog_record *rec);

/*
 * Iterates over the lines of buf: returns the kind of the next line and
 * advances *pos past it; AUDITLOG_NONE with *pos == len at the end (check
 * *pos).  Lines longer than AUDITLOG_LINE_MAX are MALFORMED if they look
 * like seccomp records, NONE otherwise.
 */
#define AUDITLOG_LINE_MAX 16384
enum auditlog_kind auditlog_next(const char *buf, size_t len, size_t *pos,
				 struct auditlog_record *rec);

/*
 * A line longer than AUDITLOG_LINE_MAX, from its first len bytes: never a
 * record (it would be a truncated one), MALFORMED when it looks like a
 * seccomp record, NONE otherwise.
 */
enum auditlog_kind auditlog_overlong(const char *prefix, size_t len);

/* "x86_64", "i386", "aarch64", "c000003e" ... -> AUDIT_ARCH_*, or 0. */
uint32_t auditlog_arch(const char *text, size_t len);

/* The action of an ausearch -i class ("kill", "errno", "log" ...), or -1. */
long long auditlog_code_class(const char *text, size_t len);

#endif

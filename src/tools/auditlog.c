// SPDX-License-Identifier: MIT
/*
 * The audit-log parser behind --from-log.  Formats it reads, all produced
 * by kernel/auditsc.c audit_seccomp() (" sig=%ld arch=%x syscall=%ld
 * compat=%d ip=0x%lx code=0x%x" after audit_log_task()'s "auid= uid= gid=
 * ses= subj= pid= comm= exe="):
 *
 *   dmesg        [  1.2] audit: type=1326 audit(1732812345.123:456): auid=...
 *   journalctl   Nov 28 20:00:00 host kernel: audit: type=1326 audit(...): ...
 *   journald     Nov 28 20:00:00 host audit[1234]: SECCOMP auid=... (its own
 *                audit socket: type name, no stamp)
 *   audit.log    type=SECCOMP msg=audit(1732812345.123:456): auid=... code=..
 *                then, in the enriched format, 0x1d and upper-case copies
 *                (AUID="unset" ARCH=x86_64 SYSCALL=getppid) that we ignore
 *   ausearch -i  type=SECCOMP msg=audit(11/28/2026 20:00:00.123:456) : ...
 *                arch=x86_64 syscall=getppid code=log, comm=/exe= unquoted
 *
 * comm and exe are quoted unless they contain a space, a quote or a byte
 * outside 0x21..0x7e, in which case the kernel prints them as hex
 * (audit_log_untrustedstring).  They are the only fields a process chooses,
 * so the fields the kernel prints after them (sig arch syscall compat ip
 * code) take their last occurrence and those before them their first.
 */
#include "sysfence/tools/auditlog.h"

#include <linux/audit.h>
#include <string.h>

struct span {
	const char *s;
	size_t len;
};

static const char *find(const char *hay, size_t hlen, const char *needle)
{
	size_t n = strlen(needle);

	if (n > hlen)
		return NULL;
	for (size_t i = 0; i + n <= hlen; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, n))
			return hay + i;
	return NULL;
}

static bool span_is(struct span v, const char *lit)
{
	size_t n = strlen(lit);

	return v.len == n && !memcmp(v.s, lit, n);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* All hex digits, 1..16 of them, value into *out. */
static bool parse_hex(struct span v, unsigned long long *out)
{
	unsigned long long x = 0;

	if (!v.len || v.len > 16)
		return false;
	for (size_t i = 0; i < v.len; i++) {
		int h = hexval(v.s[i]);

		if (h < 0)
			return false;
		x = x << 4 | (unsigned)h;
	}
	*out = x;
	return true;
}

static bool parse_dec(struct span v, unsigned long long *out)
{
	unsigned long long x = 0;

	if (!v.len || v.len > 20)
		return false;
	for (size_t i = 0; i < v.len; i++) {
		if (v.s[i] < '0' || v.s[i] > '9')
			return false;
		if (x > (~0ULL - (unsigned)(v.s[i] - '0')) / 10)
			return false;
		x = x * 10 + (unsigned)(v.s[i] - '0');
	}
	*out = x;
	return true;
}

static const struct {
	const char *name;
	uint32_t arch;
} arch_names[] = {
	/* audit-userspace's machine names (ausearch -i) and libseccomp's. */
	{ "x86_64", AUDIT_ARCH_X86_64 },   { "i386", AUDIT_ARCH_I386 },
	{ "i486", AUDIT_ARCH_I386 },	   { "i586", AUDIT_ARCH_I386 },
	{ "i686", AUDIT_ARCH_I386 },	   { "x86", AUDIT_ARCH_I386 },
	{ "aarch64", AUDIT_ARCH_AARCH64 }, { "arm", AUDIT_ARCH_ARM },
	{ "armv5tejl", AUDIT_ARCH_ARM },   { "armv5tel", AUDIT_ARCH_ARM },
	{ "armv6l", AUDIT_ARCH_ARM },	   { "armv7l", AUDIT_ARCH_ARM },
	{ "armeb", AUDIT_ARCH_ARMEB },	   { "ppc64le", AUDIT_ARCH_PPC64LE },
	{ "ppc64", AUDIT_ARCH_PPC64 },	   { "ppc", AUDIT_ARCH_PPC },
	{ "s390x", AUDIT_ARCH_S390X },	   { "s390", AUDIT_ARCH_S390 },
	{ "riscv64", AUDIT_ARCH_RISCV64 }, { "ia64", AUDIT_ARCH_IA64 },
	{ "mips", AUDIT_ARCH_MIPS },	   { "mipsel", AUDIT_ARCH_MIPSEL },
	{ "mips64", AUDIT_ARCH_MIPS64 },   { "mipsel64", AUDIT_ARCH_MIPSEL64 },
};

uint32_t auditlog_arch(const char *text, size_t len)
{
	struct span v = { text, len };
	unsigned long long x;

	if (len <= 8 && parse_hex(v, &x))
		return (uint32_t)x;
	for (size_t i = 0; i < sizeof(arch_names) / sizeof(arch_names[0]); i++)
		if (span_is(v, arch_names[i].name))
			return arch_names[i].arch;
	return 0;
}

long long auditlog_code_class(const char *text, size_t len)
{
	/* auparse seccomptab.h, which maps code & 0x7fff0000. */
	static const struct {
		const char *name;
		uint32_t action;
	} classes[] = {
		{ "kill", 0x00000000u },       { "trap", 0x00030000u },
		{ "errno", 0x00050000u },      { "trace", 0x7ff00000u },
		{ "log", 0x7ffc0000u },	       { "allow", 0x7fff0000u },
		{ "user_notif", 0x7fc00000u }, { "kill_process", 0x80000000u },
	};
	struct span v = { text, len };

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (span_is(v, classes[i].name))
			return classes[i].action;
	return -1;
}

/* Copies a comm/exe value, decoding hex when the kernel encoded it. */
static bool copy_untrusted(struct span v, bool interpreted, char *out, size_t max)
{
	size_t n = 0;

	if (v.len >= 2 && v.s[0] == '"' && v.s[v.len - 1] == '"') {
		v.s++;
		v.len -= 2;
		for (size_t i = 0; i < v.len && n + 1 < max; i++)
			out[n++] = v.s[i];
	} else if (v.len && v.s[0] == '"') {
		return false; /* unterminated quote: a cut line */
	} else if (!interpreted && !span_is(v, "(null)")) {
		/* Unquoted in a raw record: hex, or the line is garbled. */
		if (!v.len || v.len % 2)
			return false;
		for (size_t i = 0; i < v.len; i += 2) {
			int hi = hexval(v.s[i]), lo = hexval(v.s[i + 1]);

			if (hi < 0 || lo < 0)
				return false;
			if (n + 1 < max)
				out[n++] = (char)(hi << 4 | lo);
		}
	} else {
		for (size_t i = 0; i < v.len && n + 1 < max; i++)
			out[n++] = v.s[i];
	}
	out[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
	return true;
}

static void copy_text(struct span v, char *out, size_t max)
{
	size_t n = v.len < max - 1 ? v.len : max - 1;

	memcpy(out, v.s, n);
	out[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
}

/* Where the record type is named; sets *type to its value. */
static const char *find_type(const char *line, size_t len, struct span *type)
{
	const char *t = find(line, len, "type=");
	const char *j = find(line, len, "audit[");
	const char *end = line + len;

	/* The earlier one is the record's own; a later one is inside a value. */
	if (t && (!j || t < j)) {
		const char *v = t + 5, *e = v;

		while (e < end && *e != ' ' && *e != '\t')
			e++;
		*type = (struct span){ v, (size_t)(e - v) };
		return e;
	}
	/* journald's own audit socket: "audit[1234]: SECCOMP auid=..." */
	if (j) {
		const char *p = j + 6, *v, *e;

		while (p < end && *p >= '0' && *p <= '9')
			p++;
		/* False positive: "audit[1]: X" leaves 4 bytes (test_auditlog.c). */
		/* cppcheck-suppress knownConditionTrueFalse */
		if (end - p < 3 || p[0] != ']' || p[1] != ':' || p[2] != ' ')
			return NULL;
		v = p + 3;
		e = v;
		while (e < end && ((*e >= 'A' && *e <= 'Z') || *e == '_'))
			e++;
		if (e == v || (e < end && *e != ' '))
			return NULL;
		*type = (struct span){ v, (size_t)(e - v) };
		return e;
	}
	return NULL;
}

/* audit(STAMP.MS:SERIAL) -> serial and milliseconds; returns the ')' + 1. */
static const char *parse_stamp(const char *p, const char *end, struct auditlog_record *rec,
			       bool *interpreted)
{
	const char *a = find(p, (size_t)(end - p), "audit(");
	const char *close, *colon = NULL, *dot = NULL;
	unsigned long long x;

	*interpreted = false;
	if (!a)
		return p; /* journald form: no stamp */
	a += 6;
	close = memchr(a, ')', (size_t)(end - a));
	if (!close)
		return NULL;
	for (const char *q = a; q < close; q++) {
		if (*q == ':')
			colon = q;
	}
	for (const char *q = a; colon && q < colon; q++)
		if (*q == '.')
			dot = q;
	if (colon && parse_dec((struct span){ colon + 1, (size_t)(close - colon - 1) }, &x)) {
		rec->has_serial = true;
		rec->serial = x;
		if (dot && parse_dec((struct span){ dot + 1, (size_t)(colon - dot - 1) }, &x) &&
		    x < 1000)
			rec->millis = (unsigned)x;
	}
	/* ausearch -i writes "msg=audit(...) : field=..." */
	*interpreted = end - close >= 3 && close[1] == ' ' && close[2] == ':';
	return close + 1;
}

enum field {
	F_PID,
	F_COMM,
	F_EXE,
	F_ARCH,
	F_SYSCALL,
	F_COMPAT,
	F_CODE,
	F_COUNT
};

static const char *const field_names[F_COUNT] = {
	"pid", "comm", "exe", "arch", "syscall", "compat", "code",
};

enum auditlog_kind auditlog_line(const char *line, size_t len, struct auditlog_record *rec)
{
	const char *end = line + len, *p;
	struct span type, val[F_COUNT] = { { NULL, 0 } };
	bool seen[F_COUNT] = { false }, interpreted = false;
	enum field last = F_COUNT;
	unsigned long long x;
	const char *gs;

	p = find_type(line, len, &type);
	if (!p)
		return AUDITLOG_NONE;
	if (!span_is(type, "1326") && !span_is(type, "SECCOMP")) {
		/* Count audit records only, not any line that says type=. */
		if (find(line, len, "audit(") || find(line, len, "audit["))
			return AUDITLOG_OTHER;
		return AUDITLOG_NONE;
	}
	memset(rec, 0, sizeof(*rec));
	rec->pid = -1;
	p = parse_stamp(p, end, rec, &interpreted);
	if (!p)
		return AUDITLOG_MALFORMED;
	/* The enriched part after 0x1d repeats fields in upper case: ignore. */
	gs = memchr(p, 0x1d, (size_t)(end - p));
	if (gs)
		end = gs;

	while (p < end) {
		const char *k, *eq, *v, *e;
		struct span value;
		int f = -1;

		while (p < end && (*p == ' ' || *p == '\t' || *p == ':'))
			p++;
		if (p >= end)
			break;
		k = p;
		while (p < end && *p != ' ' && *p != '\t' && *p != '=')
			p++;
		if (p >= end || *p != '=') {
			/*
			 * A word without '=': ausearch -i prints a comm or exe
			 * with spaces as is.  It continues that value.
			 */
			while (p < end && *p != ' ' && *p != '\t')
				p++;
			if (last == F_COMM || last == F_EXE)
				val[last].len = (size_t)(p - val[last].s);
			continue;
		}
		eq = p;
		v = eq + 1;
		if (v < end && *v == '"') {
			e = memchr(v + 1, '"', (size_t)(end - v - 1));
			e = e ? e + 1 : end; /* unterminated: caught later */
		} else {
			e = v;
			while (e < end && *e != ' ' && *e != '\t')
				e++;
		}
		p = e;
		value = (struct span){ v, (size_t)(e - v) };
		for (int i = 0; i < F_COUNT; i++)
			if ((size_t)(eq - k) == strlen(field_names[i]) &&
			    !memcmp(k, field_names[i], (size_t)(eq - k)))
				f = i;
		last = F_COUNT;
		if (f < 0)
			continue;
		/* Before comm: first wins; after exe: last wins. */
		if (f == F_PID && seen[f])
			continue;
		if ((f == F_COMM || f == F_EXE) && seen[f])
			continue;
		val[f] = value;
		seen[f] = true;
		last = (enum field)f;
	}

	if (!seen[F_ARCH] || !seen[F_SYSCALL])
		return AUDITLOG_MALFORMED;
	copy_text(val[F_ARCH], rec->arch_text, sizeof(rec->arch_text));
	rec->arch = auditlog_arch(val[F_ARCH].s, val[F_ARCH].len);
	if (!rec->arch && !interpreted)
		return AUDITLOG_MALFORMED; /* raw records always have hex */

	{
		struct span s = val[F_SYSCALL];

		if (s.len > 1 && s.s[0] == '-' &&
		    parse_dec((struct span){ s.s + 1, s.len - 1 }, &x) && x <= 0x80000000ULL) {
			rec->has_nr = true;
			rec->nr = (uint32_t)(0 - x);
		} else if (parse_dec(s, &x)) {
			if (x > UINT32_MAX)
				return AUDITLOG_MALFORMED;
			rec->has_nr = true;
			rec->nr = (uint32_t)x;
		} else if (interpreted && s.len > 17 && !memcmp(s.s, "unknown-syscall(", 16) &&
			   s.s[s.len - 1] == ')' &&
			   parse_dec((struct span){ s.s + 16, s.len - 17 }, &x) &&
			   x <= UINT32_MAX) {
			rec->has_nr = true;
			rec->nr = (uint32_t)x;
		} else if (interpreted && s.len && s.len < AUDITLOG_NAME_MAX) {
			/* A name; "syscall=" with nothing after it is MALFORMED. */
			for (size_t i = 0; i < s.len; i++) {
				char c = s.s[i];

				if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
					return AUDITLOG_MALFORMED;
			}
			copy_text(s, rec->syscall_name, sizeof(rec->syscall_name));
		} else {
			return AUDITLOG_MALFORMED;
		}
	}

	if (seen[F_CODE]) {
		struct span c = val[F_CODE];
		const char *glued = find(c.s, c.len, "AUID=");
		long long cls;

		/* "code=0x7ffc0000AUID=..." when the 0x1d was lost in a copy. */
		if (glued)
			c.len = (size_t)(glued - c.s);
		if (c.len > 2 && c.s[0] == '0' && (c.s[1] == 'x' || c.s[1] == 'X') &&
		    parse_hex((struct span){ c.s + 2, c.len - 2 }, &x) && x <= UINT32_MAX) {
			rec->has_code = true;
			rec->code = (uint32_t)x;
		} else if ((cls = auditlog_code_class(c.s, c.len)) >= 0) {
			rec->has_code = true;
			rec->code = (uint32_t)cls;
			rec->code_is_class = true;
		} else {
			return AUDITLOG_MALFORMED;
		}
	}
	if (seen[F_PID]) {
		if (!parse_dec(val[F_PID], &x) || x > 0x7fffffffULL)
			return AUDITLOG_MALFORMED;
		rec->pid = (long long)x;
	}
	if (seen[F_COMPAT])
		rec->compat = span_is(val[F_COMPAT], "1");
	if (seen[F_COMM]) {
		if (!copy_untrusted(val[F_COMM], interpreted, rec->comm, sizeof(rec->comm)))
			return AUDITLOG_MALFORMED;
		rec->has_comm = true;
	}
	if (seen[F_EXE]) {
		if (!copy_untrusted(val[F_EXE], interpreted, rec->exe, sizeof(rec->exe)))
			return AUDITLOG_MALFORMED;
		rec->has_exe = true;
	}
	return AUDITLOG_RECORD;
}

enum auditlog_kind auditlog_next(const char *buf, size_t len, size_t *pos,
				 struct auditlog_record *rec)
{
	const char *start, *nl;
	size_t n, next;

	if (*pos >= len) {
		*pos = len;
		return AUDITLOG_NONE;
	}
	start = buf + *pos;
	nl = memchr(start, '\n', len - *pos);
	n = nl ? (size_t)(nl - start) : len - *pos;
	next = *pos + n + (nl ? 1 : 0);
	*pos = next;
	if (n && start[n - 1] == '\r')
		n--;
	if (n > AUDITLOG_LINE_MAX)
		return auditlog_overlong(start, AUDITLOG_LINE_MAX);
	return auditlog_line(start, n, rec);
}

enum auditlog_kind auditlog_overlong(const char *prefix, size_t len)
{
	struct span type;

	if (len > AUDITLOG_LINE_MAX)
		len = AUDITLOG_LINE_MAX;
	if (find_type(prefix, len, &type) && (span_is(type, "1326") || span_is(type, "SECCOMP")))
		return AUDITLOG_MALFORMED;
	return AUDITLOG_NONE;
}

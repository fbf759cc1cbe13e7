// SPDX-License-Identifier: MIT
/*
 * fuzz_auditlog: the audit-log parser behind --from-log (auditlog_next,
 * auditlog_line, auditlog_overlong, auditlog_arch, auditlog_code_class) and
 * the line feed of fromlog.c that streams it.  Its input is a log any
 * process can write lines into (comm and exe are chosen by the logged
 * process), so it must hold on anything.
 *
 * Beyond ASan/UBSan: the iterator always advances and ends exactly at the
 * end of the buffer; a parsed record's strings are terminated inside their
 * fields and hold no control byte (printing one cannot drive a terminal);
 * its numbers are in range.
 */
#include <stdbool.h>
#include <string.h>

#include "fuzz_common.h"
#include "sysfence/tools/auditlog.h"
#include "sysfence/tools/fromlog.h"

#define FUZZ_MAX_INPUT (256u << 10)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_text(const char *s, size_t max)
{
	const char *nul = memchr(s, 0, max);

	FUZZ_ASSERT(nul);
	for (const char *p = s; p < nul; p++)
		FUZZ_ASSERT((unsigned char)*p >= 0x20 && *p != 0x7f);
}

static void check_kind(enum auditlog_kind k, const struct auditlog_record *r)
{
	FUZZ_ASSERT(k == AUDITLOG_NONE || k == AUDITLOG_OTHER || k == AUDITLOG_RECORD ||
		    k == AUDITLOG_MALFORMED);
	if (k != AUDITLOG_RECORD)
		return;
	check_text(r->arch_text, sizeof(r->arch_text));
	check_text(r->syscall_name, sizeof(r->syscall_name));
	check_text(r->comm, sizeof(r->comm));
	check_text(r->exe, sizeof(r->exe));
	/* A record names its call, by number or (ausearch -i) by name. */
	FUZZ_ASSERT(r->has_nr || r->syscall_name[0]);
	FUZZ_ASSERT(r->pid >= -1 && r->pid <= 0x7fffffff);
	FUZZ_ASSERT(r->millis < 1000);
	FUZZ_ASSERT(!r->code_is_class || r->has_code);
	if (!r->has_comm)
		FUZZ_ASSERT(!r->comm[0]);
	if (!r->has_exe)
		FUZZ_ASSERT(!r->exe[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct auditlog_record rec;
	size_t pos = 0, lines = 0;

	if (size > FUZZ_MAX_INPUT)
		return 0;

	/* The whole input as one line (the parser must not need a NUL). */
	memset(&rec, 0, sizeof(rec));
	check_kind(auditlog_line(buf, size, &rec), &rec);

	/* Line by line, as --from-log reads a file. */
	while (pos < size) {
		size_t before = pos;
		enum auditlog_kind k;

		memset(&rec, 0, sizeof(rec));
		k = auditlog_next(buf, size, &pos, &rec);
		FUZZ_ASSERT(pos > before && pos <= size);
		check_kind(k, &rec);
		lines++;
	}
	FUZZ_ASSERT(pos == size);
	FUZZ_ASSERT(auditlog_next(buf, size, &pos, &rec) == AUDITLOG_NONE && pos == size);
	FUZZ_ASSERT(lines <= size);

	/* As --from-log streams it: line by line, then the whole input cut. */
	{
		struct fromlog l;

		fromlog_init(&l, NULL);
		fromlog_feed(&l, buf, size);
		fromlog_feed_line(&l, buf, size, true);
		FUZZ_ASSERT(l.stats.too_long >= 1);
		FUZZ_ASSERT(l.stats.used + l.stats.filtered + l.stats.duplicates +
				    l.stats.malformed ==
			    l.stats.records);
		fromlog_free(&l);
	}

	/* The lookups on the raw bytes. */
	(void)auditlog_arch(buf, size < 64 ? size : 64);
	(void)auditlog_code_class(buf, size < 64 ? size : 64);
	return 0;
}

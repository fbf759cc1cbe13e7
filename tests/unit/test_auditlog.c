// SPDX-License-Identifier: MIT
/*
 * Unit tests for src/tools/auditlog.c, the audit-log parser behind
 * --from-log, on recorded lines of every format it reads: dmesg (with and
 * without its timestamp), journalctl -k, journald's audit socket,
 * /var/log/audit/audit.log (plain and enriched) and ausearch (raw and -i),
 * plus malformed, truncated and hostile ones.  The first two lines were
 * recorded on this project's test VM (kernel 6.18, sf-workload under a
 * @complain profile).
 */
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sysfence/tools/auditlog.h"

static struct auditlog_record rec;

static enum auditlog_kind scan(const char *line)
{
	memset(&rec, 0x5a, sizeof(rec));
	return auditlog_line(line, strlen(line), &rec);
}

static void test_dmesg(void **state)
{
	(void)state;
	assert_int_equal(
		scan("[ 1286.085643] audit: type=1326 audit(1795898999.145:13576): "
		     "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=26006 "
		     "comm=\"sf-workload\" exe=\"/work/main/build/tests/helpers/sf-workload\" "
		     "sig=0 arch=c000003e syscall=63 compat=0 ip=0x7f5892de2b07 "
		     "code=0x7ffc0000"),
		AUDITLOG_RECORD);
	assert_int_equal(rec.arch, AUDIT_ARCH_X86_64);
	assert_true(rec.has_nr);
	assert_int_equal(rec.nr, 63);
	assert_string_equal(rec.syscall_name, "");
	assert_true(rec.has_code);
	assert_false(rec.code_is_class);
	assert_int_equal(rec.code, 0x7ffc0000);
	assert_int_equal(rec.pid, 26006);
	assert_string_equal(rec.comm, "sf-workload");
	assert_string_equal(rec.exe, "/work/main/build/tests/helpers/sf-workload");
	assert_false(rec.compat);
	assert_true(rec.has_serial);
	assert_int_equal(rec.serial, 13576);
	assert_int_equal(rec.millis, 145);
}

static void test_dmesg_errno_has_no_data(void **state)
{
	(void)state;
	/* The kernel logs the action without its errno (recorded: clone3). */
	assert_int_equal(
		scan("[ 1286.095816] audit: type=1326 audit(1795898999.153:13578): "
		     "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=26006 "
		     "comm=\"sf-workload\" exe=\"/work/main/build/tests/helpers/sf-workload\" "
		     "sig=0 arch=c000003e syscall=435 compat=0 ip=0x7f5892e188d9 code=0x50000"),
		AUDITLOG_RECORD);
	assert_int_equal(rec.nr, 435);
	assert_int_equal(rec.code, 0x50000);
}

static void test_dmesg_no_timestamp_and_subj(void **state)
{
	(void)state;
	assert_int_equal(scan("audit: type=1326 audit(1732812345.123:456): auid=1000 uid=1000 "
			      "gid=1000 ses=2 subj=unconfined pid=1234 comm=\"sf-try\" "
			      "exe=\"/usr/bin/sf-try\" sig=0 arch=40000003 syscall=20 compat=1 "
			      "ip=0xf7f1c549 code=0x7ffc0000"),
			 AUDITLOG_RECORD);
	assert_int_equal(rec.arch, AUDIT_ARCH_I386);
	assert_int_equal(rec.nr, 20);
	assert_true(rec.compat);
	assert_int_equal(rec.serial, 456);
	assert_int_equal(rec.millis, 123);
}

static void test_journalctl_kernel(void **state)
{
	(void)state;
	assert_int_equal(scan("Nov 28 20:00:00 host kernel: audit: type=1326 "
			      "audit(1732812345.123:457): auid=4294967295 uid=0 gid=0 "
			      "ses=4294967295 subj=unconfined pid=1234 comm=\"sf-try\" "
			      "exe=\"/work/main/build/tests/helpers/sf-try\" sig=0 arch=c000003e "
			      "syscall=110 compat=0 ip=0x7f00deadbeef code=0x7ffc0000"),
			 AUDITLOG_RECORD);
	assert_int_equal(rec.nr, 110);
	assert_int_equal(rec.pid, 1234);
	assert_string_equal(rec.comm, "sf-try");
}

static void test_journald_audit_socket(void **state)
{
	(void)state;
	assert_int_equal(scan("Nov 28 20:00:00 host audit[1234]: SECCOMP auid=1000 uid=1000 "
			      "gid=1000 ses=3 subj=unconfined pid=1234 comm=\"app\" "
			      "exe=\"/usr/bin/app\" sig=0 arch=c00000b7 syscall=172 compat=0 "
			      "ip=0xffff8a2b3c4d code=0x50000"),
			 AUDITLOG_RECORD);
	assert_int_equal(rec.arch, AUDIT_ARCH_AARCH64);
	assert_int_equal(rec.nr, 172);
	assert_false(rec.has_serial);
	/* Another type on the same socket is another record type. */
	assert_int_equal(scan("Nov 28 20:00:00 host audit[1]: SERVICE_START pid=1 uid=0 "
			      "msg='unit=foo'"),
			 AUDITLOG_OTHER);
}

static void test_auditd_enriched(void **state)
{
	(void)state;
	/* audit.log, enriched format: 0x1d then upper-case interpretations. */
	assert_int_equal(scan("type=SECCOMP msg=audit(1732812345.123:458): auid=4294967295 "
			      "uid=0 gid=0 ses=4294967295 subj=unconfined pid=1234 "
			      "comm=\"sf-try\" exe=\"/bin/sf-try\" sig=0 arch=c000003e "
			      "syscall=110 compat=0 ip=0x7f1234 code=0x7ffc0000\x1d"
			      "AUID=\"unset\" UID=\"root\" GID=\"root\" ARCH=x86_64 "
			      "SYSCALL=getppid"),
			 AUDITLOG_RECORD);
	assert_int_equal(rec.nr, 110);
	assert_string_equal(rec.syscall_name, "");
	assert_int_equal(rec.code, 0x7ffc0000);
	assert_int_equal(rec.serial, 458);
}

static void test_auditd_separator_lost(void **state)
{
	(void)state;
	/* Copied from a terminal: the 0x1d disappeared, "AUID" glued on. */
	assert_int_equal(scan("type=SECCOMP msg=audit(1732812345.123:459): auid=0 uid=0 gid=0 "
			      "ses=1 pid=77 comm=\"x\" exe=\"/x\" sig=0 arch=c000003e syscall=39 "
			      "compat=0 ip=0x1 code=0x7ffc0000AUID=\"root\" UID=\"root\" "
			      "ARCH=x86_64 SYSCALL=getpid"),
			 AUDITLOG_RECORD);
	assert_int_equal(rec.code, 0x7ffc0000);
	assert_int_equal(rec.nr, 39);
}

static void test_ausearch_raw(void **state)
{
	(void)state;
	assert_int_equal(scan("----"), AUDITLOG_NONE);
	assert_int_equal(scan("time->Sat Nov 28 20:00:00 2026"), AUDITLOG_NONE);
	assert_int_equal(scan("type=SECCOMP msg=audit(1732812345.123:460): auid=0 uid=0 gid=0 "
			      "ses=1 pid=78 comm=\"x\" exe=\"/x\" sig=0 arch=c000003e "
			      "syscall=102 compat=0 ip=0x1 code=0x7ffc0000"),
			 AUDITLOG_RECORD);
	assert_int_equal(rec.nr, 102);
}

static void test_ausearch_interpreted(void **state)
{
	(void)state;
	assert_int_equal(scan("type=SECCOMP msg=audit(11/28/2026 20:00:00.123:456) : "
			      "auid=unset uid=root gid=root ses=unset subj=unconfined pid=1234 "
			      "comm=sf-try exe=/work/main/build/tests/helpers/sf-try sig=SIG0 "
			      "arch=x86_64 syscall=getppid compat=0 ip=0x7f0000001234 code=log"),
			 AUDITLOG_RECORD);
	assert_int_equal(rec.arch, AUDIT_ARCH_X86_64);
	assert_false(rec.has_nr);
	assert_string_equal(rec.syscall_name, "getppid");
	assert_true(rec.code_is_class);
	assert_int_equal(rec.code, 0x7ffc0000);
	assert_string_equal(rec.comm, "sf-try");
	assert_string_equal(rec.exe, "/work/main/build/tests/helpers/sf-try");
	assert_int_equal(rec.serial, 456);
	assert_int_equal(rec.millis, 123);

	/* A comm that looks like hex is not decoded once interpreted. */
	assert_int_equal(scan("type=SECCOMP msg=audit(11/28/2026 20:00:00.124:457) : pid=1 "
			      "comm=cafe exe=/x arch=i386 syscall=unknown-syscall(999) code=errno"),
			 AUDITLOG_RECORD);
	assert_string_equal(rec.comm, "cafe");
	assert_int_equal(rec.arch, AUDIT_ARCH_I386);
	assert_true(rec.has_nr);
	assert_int_equal(rec.nr, 999);
	assert_int_equal(rec.code, 0x50000);

	/* ausearch -i prints a comm with spaces as it is. */
	assert_int_equal(scan("type=SECCOMP msg=audit(11/28/2026 20:00:00.125:458) : pid=2 "
			      "comm=my prog exe=/opt/my prog/bin arch=aarch64 syscall=openat "
			      "code=kill"),
			 AUDITLOG_RECORD);
	assert_string_equal(rec.comm, "my prog");
	assert_string_equal(rec.exe, "/opt/my prog/bin");
	assert_int_equal(rec.arch, AUDIT_ARCH_AARCH64);
	assert_int_equal(rec.code, 0);
}

static void test_hex_comm_and_exe(void **state)
{
	(void)state;
	/* "my prog" and "/tmp/a b": spaces make the kernel print hex. */
	assert_int_equal(scan("audit: type=1326 audit(1.000:1): pid=5 comm=6D792070726F67 "
			      "exe=2F746D702F612062 sig=0 arch=c000003e syscall=1 compat=0 "
			      "ip=0x0 code=0x7ffc0000"),
			 AUDITLOG_RECORD);
	assert_string_equal(rec.comm, "my prog");
	assert_string_equal(rec.exe, "/tmp/a b");
	/* Control bytes never reach the output. */
	assert_int_equal(scan("audit: type=1326 audit(1.000:2): pid=5 comm=1B5B324A "
			      "exe=\"/x\" arch=c000003e syscall=1 code=0x7ffc0000"),
			 AUDITLOG_RECORD);
	assert_string_equal(rec.comm, "?[2J");
	assert_int_equal(scan("audit: type=1326 audit(1.000:3): pid=5 comm=(null) exe=(null) "
			      "arch=c000003e syscall=1 code=0x7ffc0000"),
			 AUDITLOG_RECORD);
	assert_string_equal(rec.comm, "(null)");
}

static void test_unknown_arch_and_numbers(void **state)
{
	(void)state;
	/* A raw arch we do not know is kept as a number: the caller decides. */
	assert_int_equal(scan("audit: type=1326 audit(1.000:4): pid=5 comm=\"x\" exe=\"/x\" "
			      "sig=0 arch=deadbeef syscall=12 compat=0 ip=0x0 code=0x7ffc0000"),
			 AUDITLOG_RECORD);
	assert_int_equal(rec.arch, 0xdeadbeef);
	assert_string_equal(rec.arch_text, "deadbeef");
	/* An interpreted name we do not know: arch 0, text kept. */
	assert_int_equal(scan("type=SECCOMP msg=audit(11/28/2026 20:00:00.1:5) : pid=5 "
			      "comm=x exe=/x arch=sparc64 syscall=read code=log"),
			 AUDITLOG_RECORD);
	assert_int_equal(rec.arch, 0);
	assert_string_equal(rec.arch_text, "sparc64");
	/* Numbers no compiler knows are still records. */
	assert_int_equal(scan("audit: type=1326 audit(1.000:6): pid=5 comm=\"x\" exe=\"/x\" "
			      "arch=c000003e syscall=999 code=0x7ffc0000"),
			 AUDITLOG_RECORD);
	assert_int_equal(rec.nr, 999);
	assert_int_equal(scan("audit: type=1326 audit(1.000:7): pid=5 comm=\"x\" exe=\"/x\" "
			      "arch=c000003e syscall=-1 code=0x50000"),
			 AUDITLOG_RECORD);
	assert_int_equal(rec.nr, 0xffffffffu);
	/* x32: the x86_64 arch with the x32 bit in the number. */
	assert_int_equal(scan("audit: type=1326 audit(1.000:8): pid=5 comm=\"x\" exe=\"/x\" "
			      "arch=c000003e syscall=1073741824 code=0x80000000"),
			 AUDITLOG_RECORD);
	assert_int_equal(rec.nr, 0x40000000u);
	assert_int_equal(rec.code, 0x80000000u);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		/* cut in the middle of the line */
		"audit: type=1326 audit(1.000:9): auid=0 uid=0 gid=0 ses=1 pid=5 comm=\"x\" "
		"exe=\"/x\" sig=0 arch=c000003e sysc",
		"audit: type=1326 audit(1.000:9): auid=0 uid=0 gid=0 ses=1 pid=5 comm=\"sf-wo",
		"audit: type=1326 audit(1.000:10",
		"type=SECCOMP msg=audit(",
		"audit: type=1326",
		/* no syscall, no arch */
		"audit: type=1326 audit(1.000:11): pid=5 arch=c000003e code=0x7ffc0000",
		"audit: type=1326 audit(1.000:12): pid=5 syscall=1 code=0x7ffc0000",
		/* garbled values */
		"audit: type=1326 audit(1.000:13): pid=5 arch=c000003e syscall=read code=0x0",
		"audit: type=1326 audit(1.000:14): pid=5 arch=c000003e syscall=1x code=0x0",
		"audit: type=1326 audit(1.000:15): pid=5 arch=zz syscall=1 code=0x0",
		"audit: type=1326 audit(1.000:16): pid=5 arch=c000003e syscall=1 code=0xZZ",
		"audit: type=1326 audit(1.000:17): pid=5 arch=c000003e syscall=1 code=",
		"audit: type=1326 audit(1.000:18): pid=x arch=c000003e syscall=1 code=0x0",
		"audit: type=1326 audit(1.000:19): pid=5 arch=c000003e syscall=99999999999 code=0x0",
		"audit: type=1326 audit(1.000:20): pid=5 arch=c000003e syscall= code=0x0",
		"audit: type=1326 audit(1.000:21): pid=5 comm=ABC arch=c000003e syscall=1",
		"audit: type=1326 audit(1.000:22): pid=5 comm=\"x exe=\"/x\" arch=c000003e",
		"type=SECCOMP msg=audit(11/28/2026 20:00:00.1:5) : arch=x86_64 syscall=Read-x",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum auditlog_kind k = scan(bad[i]);

		if (k != AUDITLOG_MALFORMED)
			fail_msg("line %zu: kind %d, wanted MALFORMED: %s", i, k, bad[i]);
	}
}

static void test_other_lines(void **state)
{
	(void)state;
	assert_int_equal(scan("audit: type=1300 audit(1.000:30): arch=c000003e syscall=59 "
			      "success=yes exit=0 a0=1 items=2 ppid=1 pid=2 comm=\"sh\""),
			 AUDITLOG_OTHER);
	assert_int_equal(scan("type=AVC msg=audit(1.000:31): avc:  denied  { read } for pid=1"),
			 AUDITLOG_OTHER);
	assert_int_equal(scan("type=PROCTITLE msg=audit(1.000:32): proctitle=2F62696E"),
			 AUDITLOG_OTHER);
	assert_int_equal(scan("[    1.317587] random: crng reseeded"), AUDITLOG_NONE);
	assert_int_equal(scan("kauditd_printk_skb: 12 callbacks suppressed"), AUDITLOG_NONE);
	assert_int_equal(scan("Content-Type=1326 but no audit"), AUDITLOG_NONE);
	assert_int_equal(scan(""), AUDITLOG_NONE);
}

static void test_hostile_comm(void **state)
{
	(void)state;
	/*
	 * ausearch -i lets a program's name carry fake fields.  Fields the
	 * kernel prints after exe keep their last value, before comm their
	 * first: the real ones.
	 */
	assert_int_equal(scan("type=SECCOMP msg=audit(11/28/2026 20:00:00.1:5) : pid=42 "
			      "comm=x pid=1 arch=i386 syscall=ptrace exe=/x sig=0 arch=x86_64 "
			      "syscall=getpid code=log"),
			 AUDITLOG_RECORD);
	assert_int_equal(rec.pid, 42);
	assert_int_equal(rec.arch, AUDIT_ARCH_X86_64);
	assert_string_equal(rec.syscall_name, "getpid");
	/* "type=" inside a value does not make a record. */
	assert_int_equal(scan("Nov 28 host audit[9]: USER_CMD pid=9 cmd=\"type=1326\""),
			 AUDITLOG_OTHER);
}

static void test_next_mixed_buffer(void **state)
{
	static const char buf[] =
		"[ 1.0] audit: type=1326 audit(1.000:40): pid=5 comm=\"a\" exe=\"/a\" "
		"arch=c000003e syscall=1 code=0x7ffc0000\r\n"
		"random noise\n"
		"----\n"
		"type=SECCOMP msg=audit(11/28/2026 20:00:00.000:41) : pid=6 comm=b exe=/b "
		"arch=x86_64 syscall=read code=log\n"
		"type=SYSCALL msg=audit(1.000:42): arch=c000003e syscall=59\n"
		"audit: type=1326 audit(1.000:43): pid=5 arch=c000003e sysc\n"
		"audit: type=1326 audit(1.000:44): pid=5 comm=\"a\" exe=\"/a\" arch=c000003e "
		"syscall=2 code=0x7ffc0000"; /* no final newline */
	size_t pos = 0, n[4] = { 0 }, steps = 0;

	(void)state;
	while (pos < sizeof(buf) - 1) {
		enum auditlog_kind k = auditlog_next(buf, sizeof(buf) - 1, &pos, &rec);

		n[k]++;
		steps++;
		assert_true(steps < 100);
	}
	assert_int_equal(n[AUDITLOG_RECORD], 3);
	assert_int_equal(n[AUDITLOG_OTHER], 1);
	assert_int_equal(n[AUDITLOG_MALFORMED], 1);
	assert_int_equal(n[AUDITLOG_NONE], 2);
	assert_int_equal(rec.nr, 2);
	/* At the end: NONE, position stays. */
	assert_int_equal(auditlog_next(buf, sizeof(buf) - 1, &pos, &rec), AUDITLOG_NONE);
	assert_int_equal(pos, sizeof(buf) - 1);
}

static void test_long_line(void **state)
{
	size_t len = AUDITLOG_LINE_MAX + 100, pos = 0;
	char *buf = malloc(len);
	const char *head = "audit: type=1326 audit(1.000:50): comm=\"";

	(void)state;
	assert_non_null(buf);
	memset(buf, 'a', len);
	memcpy(buf, head, strlen(head));
	assert_int_equal(auditlog_next(buf, len, &pos, &rec), AUDITLOG_MALFORMED);
	assert_int_equal(pos, len);
	memset(buf, 'a', len);
	pos = 0;
	assert_int_equal(auditlog_next(buf, len, &pos, &rec), AUDITLOG_NONE);
	free(buf);
}

static void test_not_nul_terminated(void **state)
{
	/* The parser must honour len: the bytes after it are garbage. */
	char buf[] = "audit: type=1326 audit(1.000:60): pid=5 arch=c000003e syscall=12XXXX";
	size_t len = strlen(buf) - 4;

	(void)state;
	assert_int_equal(auditlog_line(buf, len, &rec), AUDITLOG_RECORD);
	assert_int_equal(rec.nr, 12);
}

static void test_arch_names(void **state)
{
	(void)state;
	assert_int_equal(auditlog_arch("c000003e", 8), AUDIT_ARCH_X86_64);
	assert_int_equal(auditlog_arch("i686", 4), AUDIT_ARCH_I386);
	assert_int_equal(auditlog_arch("armv7l", 6), AUDIT_ARCH_ARM);
	assert_int_equal(auditlog_arch("ppc64le", 7), AUDIT_ARCH_PPC64LE);
	assert_int_equal(auditlog_arch("c000003e0", 9), 0);
	assert_int_equal(auditlog_arch("", 0), 0);
	assert_int_equal(auditlog_code_class("errno", 5), 0x50000);
	assert_int_equal(auditlog_code_class("kill", 4), 0);
	assert_true(auditlog_code_class("nope", 4) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dmesg),
		cmocka_unit_test(test_dmesg_errno_has_no_data),
		cmocka_unit_test(test_dmesg_no_timestamp_and_subj),
		cmocka_unit_test(test_journalctl_kernel),
		cmocka_unit_test(test_journald_audit_socket),
		cmocka_unit_test(test_auditd_enriched),
		cmocka_unit_test(test_auditd_separator_lost),
		cmocka_unit_test(test_ausearch_raw),
		cmocka_unit_test(test_ausearch_interpreted),
		cmocka_unit_test(test_hex_comm_and_exe),
		cmocka_unit_test(test_unknown_arch_and_numbers),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_other_lines),
		cmocka_unit_test(test_hostile_comm),
		cmocka_unit_test(test_next_mixed_buffer),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_not_nul_terminated),
		cmocka_unit_test(test_arch_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * sf-forge MODE IN OUT: makes a hostile blob from a good one, with a
 * correct integrity digest, so the launcher's refusal is tested on the
 * check meant to stop it (not on the digest):
 *   killproc   the allow program's ERRNO(EPERM) becomes KILL_PROCESS (valid)
 *   errno0     ... becomes ERRNO(0), a fake success
 *   usernotif  ... becomes USER_NOTIF
 *   badjump    the second instruction jumps past the end
 *   noarch     the first instruction loads the syscall number, not the arch
 *   oversize   an allow program of BPF_MAXINSNS + 1 instructions
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfence/blob.h"
#include "sysfence/digest.h"
#include "sysfence/compile/fileio.h"

/* docs/blob-format.md: header offsets used by `oversize`. */
#define OFF_DENY_LEN 60
#define OFF_ALLOW_LEN 64
#define OFF_DIGEST 68

static void put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int oversize(const uint8_t *good, const char *out)
{
	uint32_t n = BPF_MAXINSNS + 1;
	size_t len = BLOB_HEADER_SIZE + (size_t)n * BLOB_INSN_SIZE;
	uint8_t *buf = calloc(1, len), digest[DIGEST_SIZE];
	struct sock_filter ret = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

	if (!buf)
		return 1;
	memcpy(buf, good, BLOB_HEADER_SIZE);
	put_u32(buf + OFF_DENY_LEN, 0);
	put_u32(buf + OFF_ALLOW_LEN, n);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *p = buf + BLOB_HEADER_SIZE + (size_t)i * BLOB_INSN_SIZE;

		p[0] = (uint8_t)ret.code;
		p[1] = (uint8_t)(ret.code >> 8);
		put_u32(p + 4, ret.k);
	}
	memset(buf + OFF_DIGEST, 0, DIGEST_SIZE);
	digest_buffer(buf, len, digest);
	memcpy(buf + OFF_DIGEST, digest, DIGEST_SIZE);
	return file_write_atomic(out, buf, len, 0644) ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct blob b;
	char *data, why[128];
	uint8_t *buf;
	size_t len, outlen;
	const char *mode;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: sf-forge MODE IN OUT\n");
		return 2;
	}
	mode = argv[1];
	if (file_read_all(argv[2], BLOB_MAX_SIZE, &data, &len) ||
	    blob_parse(data, len, &b, why, sizeof(why))) {
		fprintf(stderr, "sf-forge: %s: not a good blob\n", argv[2]);
		return 1;
	}
	if (!strcmp(mode, "oversize"))
		return oversize((const uint8_t *)data, argv[3]);
	if (!strcmp(mode, "killproc"))
		rc = !bpf_rewrite_ret(b.allow.insns, b.allow.len, SECCOMP_RET_ERRNO | 1,
				      SECCOMP_RET_KILL_PROCESS);
	else if (!strcmp(mode, "errno0"))
		rc = !bpf_rewrite_ret(b.allow.insns, b.allow.len, SECCOMP_RET_ERRNO | 1,
				      SECCOMP_RET_ERRNO);
	else if (!strcmp(mode, "usernotif"))
		rc = !bpf_rewrite_ret(b.allow.insns, b.allow.len, SECCOMP_RET_ERRNO | 1,
				      SECCOMP_RET_USER_NOTIF);
	else if (!strcmp(mode, "badjump"))
		rc = (b.allow.insns[1] =
			      (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, b.allow.len),
		      0);
	else if (!strcmp(mode, "noarch"))
		rc = (b.allow.insns[0].k = 0, 0);
	else
		rc = 2;
	if (rc) {
		fprintf(stderr, "sf-forge: cannot apply %s\n", mode);
		return rc;
	}
	if (blob_serialize(&b, &buf, &outlen) || file_write_atomic(argv[3], buf, outlen, 0644)) {
		fprintf(stderr, "sf-forge: cannot write %s\n", argv[3]);
		return 1;
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_DIGEST_H
#define SYSFENCE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

/* SHA-256 from nettle: a maintained library, not a hand-written copy. */
#define DIGEST_SIZE SHA256_DIGEST_SIZE

struct digest_ctx {
	struct sha256_ctx sha;
};

void digest_init(struct digest_ctx *c);
void digest_update(struct digest_ctx *c, const void *data, size_t len);
void digest_final(struct digest_ctx *c, uint8_t out[DIGEST_SIZE]);
void digest_buffer(const void *data, size_t len, uint8_t out[DIGEST_SIZE]);
/* Lower-case hex, out must hold 2 * DIGEST_SIZE + 1 bytes. */
void digest_hex(const uint8_t d[DIGEST_SIZE], char *out);

#endif

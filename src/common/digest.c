// SPDX-License-Identifier: MIT
#include "sysfence/digest.h"

void digest_init(struct digest_ctx *c)
{
	sha256_init(&c->sha);
}

void digest_update(struct digest_ctx *c, const void *data, size_t len)
{
	sha256_update(&c->sha, len, data);
}

void digest_final(struct digest_ctx *c, uint8_t out[DIGEST_SIZE])
{
	sha256_digest(&c->sha, DIGEST_SIZE, out);
}

void digest_buffer(const void *data, size_t len, uint8_t out[DIGEST_SIZE])
{
	struct digest_ctx c;

	digest_init(&c);
	digest_update(&c, data, len);
	digest_final(&c, out);
}

void digest_hex(const uint8_t d[DIGEST_SIZE], char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < DIGEST_SIZE; i++) {
		*out++ = hex[d[i] >> 4];
		*out++ = hex[d[i] & 15];
	}
	*out = '\0';
}

// SPDX-License-Identifier: MIT
/*
 * sf-constants ARCH: every named constant with its value on ARCH (an
 * architecture name as --arch takes it), "NAME VALUE" in decimal, or
 * "NAME -" where ARCH has no such name.  tests/integration/constants_arches.sh
 * compares the lines with ARCH's own uapi headers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sysfence/compile/constants.h"
#include "sysfence/compile/syscalls.h"

int main(int argc, char **argv)
{
	const struct sf_constant *t;
	size_t n;
	uint32_t arch;

	if (argc != 2 || !(arch = syscalls_arch_from_name(argv[1]))) {
		fprintf(stderr, "usage: sf-constants ARCH\n");
		return 2;
	}
	t = constants_table(&n);
	for (size_t i = 0; i < n; i++) {
		struct constants_arch_value v;

		if (!constants_lookup_arch(t[i].name, strlen(t[i].name), arch, &v))
			return 1;
		if (v.kind == CONSTANTS_DEFINED)
			printf("%s %" PRIu64 "\n", t[i].name, v.value);
		else
			printf("%s -\n", t[i].name);
	}
	return fflush(stdout) ? 1 : 0;
}

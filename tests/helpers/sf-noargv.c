// SPDX-License-Identifier: MIT
/*
 * sf-noargv PROGRAM [ENV...]: execve()s PROGRAM with an empty argv
 * (argc == 0) and the given strings as its environment, the
 * CVE-2021-4034 (pkexec) setup where a naive argv[1] is envp[0].
 * Linux 5.18 and later pass a single "" as argv[0] instead.
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *empty[] = { NULL };

	if (argc < 2) {
		fprintf(stderr, "usage: sf-noargv PROGRAM [ENV...]\n");
		return 2;
	}
	execve(argv[1], empty, &argv[2]);
	perror("sf-noargv: execve");
	return 127;
}

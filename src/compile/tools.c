// SPDX-License-Identifier: MIT
#include "sysfence/tools.h"

int tools_dispatch(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return -1;
}

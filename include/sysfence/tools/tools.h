/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_TOOLS_TOOLS_H
#define SYSFENCE_TOOLS_TOOLS_H

/*
 * The admin tools of sysfence-compile (--explain, --disasm, --from-log,
 * --report, --diff).  Returns the exit status when argv asks for a tool,
 * -1 when it is an ordinary compile.
 */
int tools_main(int argc, char **argv);

#endif

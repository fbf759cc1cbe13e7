/* SPDX-License-Identifier: MIT */
#ifndef SYSFENCE_MODE_H
#define SYSFENCE_MODE_H

/* How a profile confines: the values are stored in blobs, never renumber. */
enum sf_mode {
	SF_MODE_ENFORCE = 0,	  /* default ERRNO(EPERM), logged with FLAG_LOG */
	SF_MODE_COMPLAIN = 1,	  /* default LOG: allowed and logged */
	SF_MODE_UNRESTRICTED = 2, /* no filter at all */
};

const char *sf_mode_name(enum sf_mode mode);

#endif

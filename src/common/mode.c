// SPDX-License-Identifier: MIT
#include "sysfence/mode.h"

const char *sf_mode_name(enum sf_mode mode)
{
	switch (mode) {
	case SF_MODE_ENFORCE:
		return "enforce";
	case SF_MODE_COMPLAIN:
		return "complain";
	case SF_MODE_UNRESTRICTED:
		return "unrestricted";
	}
	return "invalid";
}

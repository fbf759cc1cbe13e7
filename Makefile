# sysfence — plain GNU make.  `make`, `make check`, `make check SANITIZE=1`,
# `make bench`, `make install DESTDIR=... PREFIX=...`.

VERSION     := 0.1.0
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
DATADIR     ?= $(PREFIX)/share
PROFILE_DIR ?= /var/lib/sysfence/profiles
# The folder the test build of the launcher trusts (tests create it root-owned).
TEST_PROFILE_DIR ?= /run/sysfence-test/profiles

SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD ?= build/san
else
BUILD ?= build
endif

CC         ?= cc
PKG_CONFIG ?= pkg-config

# Hardening and warnings are part of the build, not an option.
WARN     := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wvla -Wnull-dereference -Wimplicit-fallthrough
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN) -fstack-protector-strong -fPIE -fno-common
CPPFLAGS += -Iinclude -D_GNU_SOURCE -DSYSFENCE_VERSION='"$(VERSION)"'
LDFLAGS  += -pie -Wl,-z,relro,-z,now -Wl,--as-needed

ifeq ($(SANITIZE),1)
CFLAGS   += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=address,undefined
else
CPPFLAGS += -D_FORTIFY_SOURCE=3
endif

ifeq ($(STATIC),1)
LAUNCH_LDFLAGS := -static-pie
endif

SECCOMP_CFLAGS := $(shell $(PKG_CONFIG) --cflags libseccomp)
SECCOMP_LIBS   := $(shell $(PKG_CONFIG) --libs libseccomp)
CAP_LIBS       := $(shell $(PKG_CONFIG) --libs libcap)
NETTLE_LIBS    := $(shell $(PKG_CONFIG) --libs nettle)
CMOCKA_LIBS    := $(shell $(PKG_CONFIG) --libs cmocka)

COMMON_SRC  := $(sort $(wildcard src/common/*.c))
COMPILE_SRC := $(filter-out src/compile/main.c,$(sort $(wildcard src/compile/*.c)))
LAUNCH_SRC  := $(filter-out src/launch/main.c,$(sort $(wildcard src/launch/*.c)))
UNIT_SRC    := $(sort $(wildcard tests/unit/test_*.c))
HELPER_SRC  := $(sort $(wildcard tests/helpers/*.c))
BENCH_SRC   := $(sort $(wildcard bench/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

COMMON_LIB  := $(BUILD)/libsfcommon.a
COMPILE_LIB := $(BUILD)/libsfcompile.a
LAUNCH_LIB  := $(BUILD)/libsflaunch.a
COMPILER    := $(BUILD)/sysfence-compile
LAUNCHER    := $(BUILD)/sysfence-launch
TEST_LAUNCHER := $(BUILD)/tests/sysfence-launch-test
UNIT_BINS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
HELPER_BINS := $(patsubst tests/helpers/%.c,$(BUILD)/tests/helpers/%,$(HELPER_SRC))
BENCH_BINS  := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

.PHONY: all check check-run deps test-build bench demo install uninstall clean fuzz lint format
all: $(COMPILER) $(LAUNCHER)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SECCOMP_CFLAGS) -MMD -MP -c -o $@ $<

# The launcher's objects get the trusted store baked in; nothing else may.
$(BUILD)/obj/src/launch/%.o: CPPFLAGS += -DSYSFENCE_PROFILE_DIR='"$(PROFILE_DIR)"'
$(BUILD)/obj/test-launch/%.o: src/launch/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DSYSFENCE_PROFILE_DIR='"$(TEST_PROFILE_DIR)"' $(CFLAGS) -MMD -MP -c -o $@ $<

$(COMMON_LIB): $(call obj,$(COMMON_SRC))
	@rm -f $@
	$(AR) rcs $@ $^
$(COMPILE_LIB): $(call obj,$(COMPILE_SRC))
	@rm -f $@
	$(AR) rcs $@ $^
$(LAUNCH_LIB): $(call obj,$(LAUNCH_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(COMPILER): $(call obj,src/compile/main.c) $(COMPILE_LIB) $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SECCOMP_LIBS) $(NETTLE_LIBS) -lpthread

# The launcher never links libseccomp (see DESIGN.md).
$(LAUNCHER): $(call obj,src/launch/main.c) $(LAUNCH_LIB) $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) $(LAUNCH_LDFLAGS) -o $@ $^ $(CAP_LIBS) $(NETTLE_LIBS)

TEST_LAUNCH_OBJ := $(patsubst src/launch/%.c,$(BUILD)/obj/test-launch/%.o,$(wildcard src/launch/*.c))
$(TEST_LAUNCHER): $(TEST_LAUNCH_OBJ) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CAP_LIBS) $(NETTLE_LIBS)

$(BUILD)/tests/test_%: $(call obj,tests/unit/test_%.c) $(COMPILE_LIB) $(LAUNCH_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(SECCOMP_LIBS) $(CAP_LIBS) $(NETTLE_LIBS) -lpthread

$(BUILD)/tests/helpers/%: $(call obj,tests/helpers/%.c) $(COMPILE_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SECCOMP_LIBS) $(NETTLE_LIBS) -lpthread

# The kernel-truth runner again for the compat ABI (x86 on x86_64), when a
# -m32 toolchain is installed (gcc-multilib); the tests skip visibly without.
RUN32 := $(BUILD)/tests/helpers32/sf-run
$(RUN32): tests/helpers/sf-run.c
	@mkdir -p $(dir $@)
	@$(CC) -m32 -O2 -Wall -Wextra -Werror -o $@ $< 2>/dev/null || \
		echo "note: no -m32 toolchain (gcc-multilib); compat kernel tests will be skipped"

$(BUILD)/bench/%: $(call obj,bench/%.c) $(COMPILE_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SECCOMP_LIBS) $(NETTLE_LIBS) -lpthread

test-build: all $(UNIT_BINS) $(HELPER_BINS) $(TEST_LAUNCHER) $(RUN32)

# Installs missing build dependencies (Debian/Ubuntu, as root).
deps:
	@scripts/install-deps.sh

# `make check` installs what is missing, builds everything and runs every
# unit and integration test; it ends with one line "N passed, N failed".
# The build runs in a second make so pkg-config sees freshly installed
# libraries.
check: deps
	@$(MAKE) --no-print-directory check-run

check-run: test-build
	BUILD=$(BUILD) SANITIZE=$(SANITIZE) tests/run-tests.sh

# Benchmarks print ratios measured side by side in one run; never asserted.
bench: deps
	@$(MAKE) --no-print-directory test-build $(BENCH_BINS)
	BUILD=$(BUILD) bench/run.sh

# `make install`: DESTDIR for staging, PREFIX/BINDIR/MANDIR/DATADIR for
# the layout, PROFILE_DIR for the trusted store (baked into the launcher,
# so build with the same PROFILE_DIR).  NO_SETUID=1 installs the launcher
# 0755 for packaging as non-root; the package must make it setuid root.
MAN1 := $(wildcard man/*.1)
MAN5 := $(wildcard man/*.5)
EXAMPLES := $(wildcard examples/*.policy)
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DATADIR)/sysfence/examples
	install -m 0755 $(COMPILER) $(DESTDIR)$(BINDIR)/sysfence-compile
ifeq ($(NO_SETUID),1)
	install -m 0755 $(LAUNCHER) $(DESTDIR)$(BINDIR)/sysfence-launch
	@echo "note: $(DESTDIR)$(BINDIR)/sysfence-launch installed without the setuid bit;"
	@echo "      make it root-owned 04755 when packaging (trusted profiles need it)."
else
	install -m 04755 -o root -g root $(LAUNCHER) $(DESTDIR)$(BINDIR)/sysfence-launch
endif
	$(if $(MAN1),install -m 0644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/)
	$(if $(MAN5),install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/)
	$(if $(EXAMPLES),install -m 0644 $(EXAMPLES) $(DESTDIR)$(DATADIR)/sysfence/examples/)
ifeq ($(NO_SETUID),1)
	install -d -m 0755 $(DESTDIR)$(PROFILE_DIR)
else
	install -d -m 0755 -o root -g root $(DESTDIR)$(PROFILE_DIR)
endif

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sysfence-compile $(DESTDIR)$(BINDIR)/sysfence-launch
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))
	rm -rf $(DESTDIR)$(DATADIR)/sysfence
	-rmdir $(DESTDIR)$(PROFILE_DIR) 2>/dev/null
	@echo "note: profiles in $(DESTDIR)$(PROFILE_DIR) (if any) were kept"

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# sysfence — plain GNU make.  `make`, `make check`, `make check SANITIZE=1`,
# `make bench`, `make install DESTDIR=... PREFIX=...`, `make deb`.

VERSION     := 0.1.0
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
DATADIR     ?= $(PREFIX)/share
DOCDIR      ?= $(DATADIR)/doc/sysfence
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# The library of shipped policies (share/include in the tree): bare
# @include names come from here.  Baked into the compiler.
LIBRARYDIR  ?= $(DATADIR)/sysfence/include
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
#
# CFLAGS, CPPFLAGS and LDFLAGS are the caller's: a distribution's (from
# the environment, as dpkg-buildflags exports them) or `make CFLAGS=...`.
# They come first and ours are appended in SF_CFLAGS, SF_CPPFLAGS and
# SF_LDFLAGS, which the rules use: theirs choose the optimisation, debug
# information and any extra hardening, and cannot drop our include path,
# defines, warnings or hardening.  -Iinclude goes before theirs, so an
# installed copy of our headers never shadows the tree's.
#   WERROR=1 (default)  warnings are errors: our own builds and CI.
#   WERROR=0            the same warnings, not fatal: for distributions,
#                       whose newer compilers warn about code ours accept
#                       (debian/rules uses it; CI builds with WERROR=1).
WERROR   ?= 1
WARN     := $(strip -Wall -Wextra $(if $(filter 0,$(WERROR)),,-Werror) -Wformat=2 -Wshadow \
            -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wnull-dereference \
            -Wimplicit-fallthrough)
CFLAGS   ?= -O2 -g
SF_CFLAGS   = $(CFLAGS) -std=gnu11 $(WARN) -fstack-protector-strong -fPIE -fno-common
SF_CPPFLAGS = -Iinclude $(CPPFLAGS) -D_GNU_SOURCE -DSYSFENCE_VERSION='"$(VERSION)"' $(FORTIFY)
SF_LDFLAGS  = $(LDFLAGS) -pie -Wl,-z,relro,-z,now -Wl,--as-needed

# _FORTIFY_SOURCE=3 whatever level the caller's flags set: -U first, since
# dpkg-buildflags' -D_FORTIFY_SOURCE=2 followed by ours is a "redefined"
# error under -Werror.  Without optimisation glibc cannot fortify and only
# warns (an error under -Werror), and the sanitizers replace it: there
# only the -U.
FORTIFY  := -U_FORTIFY_SOURCE
ifeq ($(SANITIZE),1)
SF_CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SF_LDFLAGS += -fsanitize=address,undefined
else ifneq ($(filter-out -O0,$(lastword $(filter -O%,$(CFLAGS)))),)
FORTIFY  += -D_FORTIFY_SOURCE=3
endif

# How the launcher is linked (`make bench` measures every way side by side):
#   STATIC=1 (default)  static, not position-independent: no dynamic loader
#                       in the setuid binary (about 0.45 ms less per start
#                       than dynamic here) and no start-up relocation
#                       (about 20 us less than static-pie).  Its code and
#                       data sit at fixed addresses (stack, heap and mmap
#                       stay randomised): see docs/security.md
#   STATIC=1 STATIC_PIE=1  static-pie: fully randomised, a little slower
#   STATIC=0            dynamic PIE (sanitizers need their dynamic runtime,
#                       so SANITIZE=1 defaults to it)
#   STRIP_LAUNCHER=1    (default) the installed launcher has no symbols;
#                       STRIP_LAUNCHER=0 keeps them for a packager's own
#                       strip and debug-symbol split
# The test launcher is linked the same way but never stripped (tests read
# its symbols).
ifeq ($(SANITIZE),1)
STATIC ?= 0
else
STATIC ?= 1
endif
STATIC_PIE ?= 0
STRIP_LAUNCHER ?= 1
ifeq ($(STATIC),1)
ifeq ($(STATIC_PIE),1)
LAUNCH_LDFLAGS := -static-pie
else
LAUNCH_LDFLAGS := -static -no-pie
endif
endif
ifeq ($(STRIP_LAUNCHER),1)
LAUNCH_STRIP := -s
endif

SECCOMP_CFLAGS := $(shell $(PKG_CONFIG) --cflags libseccomp)
SECCOMP_LIBS   := $(shell $(PKG_CONFIG) --libs libseccomp)
CAP_LIBS       := $(shell $(PKG_CONFIG) --libs libcap)
NETTLE_LIBS    := $(shell $(PKG_CONFIG) --libs nettle)
# (cmocka: the tests only; a package build with the nocheck profile lacks it.)
CMOCKA_LIBS    := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
# json-c reads OCI/Docker profiles (--from-oci): the compiler's tools only,
# never the launcher.
JSON_CFLAGS    := $(shell $(PKG_CONFIG) --cflags json-c)
JSON_LIBS      := $(shell $(PKG_CONFIG) --libs json-c)

COMMON_SRC  := $(sort $(wildcard src/common/*.c))
COMPILE_SRC := $(filter-out src/compile/main.c,$(sort $(wildcard src/compile/*.c)))
TOOLS_SRC   := $(sort $(wildcard src/tools/*.c))
LAUNCH_SRC  := $(filter-out src/launch/main.c,$(sort $(wildcard src/launch/*.c)))
LIB_SRC     := $(sort $(wildcard src/lib/*.c))
UNIT_SRC    := $(sort $(wildcard tests/unit/test_*.c))
HELPER_SRC  := $(sort $(wildcard tests/helpers/*.c))
BENCH_SRC   := $(sort $(wildcard bench/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

COMMON_LIB  := $(BUILD)/libsfcommon.a
COMPILE_LIB := $(BUILD)/libsfcompile.a
TOOLS_LIB   := $(BUILD)/libsftools.a
LAUNCH_LIB  := $(BUILD)/libsflaunch.a
# libsysfence (src/lib: verify and attach), in the static archive the
# launcher and the tests link, and as the shared library.
SFLIB_LIB   := $(BUILD)/libsflib.a
# The shared library: soname libsysfence.so.$(SOVERSION), to be bumped on
# any incompatible change to include/sysfence.h.
SOVERSION   := 0
SHLIB_NAME  := libsysfence.so.$(VERSION)
SHLIB       := $(BUILD)/$(SHLIB_NAME)
SHLIB_LINKS := $(BUILD)/libsysfence.so.$(SOVERSION) $(BUILD)/libsysfence.so
SHLIB_MAP   := src/lib/libsysfence.map
SHLIB_OBJ   := $(patsubst %.c,$(BUILD)/pic/%.o,$(COMMON_SRC) $(LIB_SRC))
COMPILER    := $(BUILD)/sysfence-compile
LAUNCHER    := $(BUILD)/sysfence-launch
TEST_LAUNCHER := $(BUILD)/tests/sysfence-launch-test
UNIT_BINS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
HELPER_BINS := $(patsubst tests/helpers/%.c,$(BUILD)/tests/helpers/%,$(HELPER_SRC))
BENCH_BINS  := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

.PHONY: all check check-run check-unit deps test-build bench demo install uninstall clean fuzz \
	lint format deb autopkgtest
all: $(COMPILER) $(LAUNCHER) $(SHLIB_LINKS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(SF_CPPFLAGS) $(SF_CFLAGS) $(SECCOMP_CFLAGS) -MMD -MP -c -o $@ $<

# The launcher's objects get the trusted store baked in; nothing else may.
# A stamp holding the value rebuilds them when PROFILE_DIR changes, so
# `make install PROFILE_DIR=...` after a plain `make` installs the right one.
PROFILE_DIR_STAMP := $(BUILD)/.profile-dir
$(shell mkdir -p $(BUILD) && [ "$$(cat $(PROFILE_DIR_STAMP) 2>/dev/null)" = '$(PROFILE_DIR)' ] || \
	printf '%s\n' '$(PROFILE_DIR)' >$(PROFILE_DIR_STAMP))
$(BUILD)/obj/src/launch/%.o: SF_CPPFLAGS += -DSYSFENCE_PROFILE_DIR='"$(PROFILE_DIR)"'
$(BUILD)/obj/src/tools/ocijson.o $(BUILD)/obj/tests/unit/test_oci.o: SF_CPPFLAGS += $(JSON_CFLAGS)
# --json: the tools build their documents with json-c too.
$(call obj,$(TOOLS_SRC) tests/unit/test_json.c): SF_CPPFLAGS += $(JSON_CFLAGS)
$(call obj,$(wildcard src/launch/*.c)): $(PROFILE_DIR_STAMP)
# The same for the compiler's library folder (main.c prints it in --help).
LIBRARYDIR_STAMP := $(BUILD)/.library-dir
$(shell mkdir -p $(BUILD) && [ "$$(cat $(LIBRARYDIR_STAMP) 2>/dev/null)" = '$(LIBRARYDIR)' ] || \
	printf '%s\n' '$(LIBRARYDIR)' >$(LIBRARYDIR_STAMP))
LIBRARY_OBJ := $(call obj,src/compile/main.c src/compile/library.c)
$(LIBRARY_OBJ): SF_CPPFLAGS += -DSYSFENCE_INCLUDE_DIR='"$(LIBRARYDIR)"'
$(LIBRARY_OBJ): $(LIBRARYDIR_STAMP)
$(BUILD)/obj/test-launch/%.o: src/launch/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SF_CPPFLAGS) -DSYSFENCE_PROFILE_DIR='"$(TEST_PROFILE_DIR)"' $(SF_CFLAGS) -MMD -MP -c -o $@ $<

$(COMMON_LIB): $(call obj,$(COMMON_SRC))
	@rm -f $@
	$(AR) rcs $@ $^
$(COMPILE_LIB): $(call obj,$(COMPILE_SRC))
	@rm -f $@
	$(AR) rcs $@ $^
$(TOOLS_LIB): $(call obj,$(TOOLS_SRC))
	@rm -f $@
	$(AR) rcs $@ $^
$(LAUNCH_LIB): $(call obj,$(LAUNCH_SRC))
	@rm -f $@
	$(AR) rcs $@ $^
$(SFLIB_LIB): $(call obj,$(LIB_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(COMPILER): $(call obj,src/compile/main.c) $(TOOLS_LIB) $(COMPILE_LIB) $(COMMON_LIB)
	$(CC) $(SF_CFLAGS) $(SF_LDFLAGS) -o $@ $^ $(SECCOMP_LIBS) $(NETTLE_LIBS) $(JSON_LIBS) -lpthread

# The way the launchers are linked, in a stamp: `make STATIC=0` after a
# plain `make` relinks them.
LAUNCH_LINK_STAMP := $(BUILD)/.launch-link
$(shell mkdir -p $(BUILD) && [ "$$(cat $(LAUNCH_LINK_STAMP) 2>/dev/null)" = '$(LAUNCH_LDFLAGS) $(LAUNCH_STRIP)' ] || \
	printf '%s\n' '$(LAUNCH_LDFLAGS) $(LAUNCH_STRIP)' >$(LAUNCH_LINK_STAMP))

# The launcher never links libseccomp (see DESIGN.md).
$(LAUNCHER): $(call obj,src/launch/main.c) $(LAUNCH_LIB) $(SFLIB_LIB) $(COMMON_LIB) $(LAUNCH_LINK_STAMP)
	$(CC) $(SF_CFLAGS) $(SF_LDFLAGS) $(LAUNCH_LDFLAGS) $(LAUNCH_STRIP) -o $@ $(filter-out $(LAUNCH_LINK_STAMP),$^) \
		$(CAP_LIBS) $(NETTLE_LIBS)

TEST_LAUNCH_OBJ := $(patsubst src/launch/%.c,$(BUILD)/obj/test-launch/%.o,$(wildcard src/launch/*.c))
$(TEST_LAUNCHER): $(TEST_LAUNCH_OBJ) $(SFLIB_LIB) $(COMMON_LIB) $(LAUNCH_LINK_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(SF_CFLAGS) $(SF_LDFLAGS) $(LAUNCH_LDFLAGS) -o $@ $(filter-out $(LAUNCH_LINK_STAMP),$^) \
		$(CAP_LIBS) $(NETTLE_LIBS)

$(BUILD)/tests/test_%: $(call obj,tests/unit/test_%.c) $(TOOLS_LIB) $(COMPILE_LIB) $(LAUNCH_LIB) \
		$(SFLIB_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(SF_CFLAGS) $(SF_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(SECCOMP_LIBS) $(CAP_LIBS) $(NETTLE_LIBS) \
		$(JSON_LIBS) -lpthread

# libsysfence.so, the public face (include/sysfence.h): position-independent
# objects of src/common and src/lib of its own, hidden by default; the
# version script exports the public functions and nothing else (`nm -D`).
# (-z defs checks every symbol resolves, except under the sanitizers, whose
# runtime the program brings.)
$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(SF_CPPFLAGS) $(SF_CFLAGS) -fPIC -fvisibility=hidden -MMD -MP -c -o $@ $<
$(SHLIB): $(SHLIB_OBJ) $(SHLIB_MAP)
	$(CC) $(SF_CFLAGS) -fPIC $(LDFLAGS) -shared -Wl,-soname,libsysfence.so.$(SOVERSION) \
		-Wl,--version-script=$(SHLIB_MAP) $(if $(filter 1,$(SANITIZE)),,-Wl,-z,defs) \
		-Wl,-z,relro,-z,now -Wl,--as-needed \
		-o $@ $(SHLIB_OBJ) $(NETTLE_LIBS)
$(SHLIB_LINKS): $(SHLIB)
	ln -sf $(SHLIB_NAME) $@

# The library's contract, tested through the shared library itself (the
# tests build their blobs with the static src/common).
$(BUILD)/tests/test_libsysfence: $(call obj,tests/unit/test_libsysfence.c) $(COMMON_LIB) $(SHLIB_LINKS)
	@mkdir -p $(dir $@)
	$(CC) $(SF_CFLAGS) $(SF_LDFLAGS) -o $@ $(filter %.o %.a,$^) -L$(BUILD) -lsysfence \
		-Wl,-rpath,$(abspath $(BUILD)) $(CMOCKA_LIBS) $(NETTLE_LIBS)

$(BUILD)/tests/helpers/%: $(call obj,tests/helpers/%.c) $(TOOLS_LIB) $(COMPILE_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(SF_CFLAGS) $(SF_LDFLAGS) -o $@ $^ $(SECCOMP_LIBS) $(NETTLE_LIBS) $(JSON_LIBS) -lpthread

# The floor the launcher is measured against: static, stripped, libc only.
$(BUILD)/bench/sf-floor: bench/sf-floor.c
	@mkdir -p $(dir $@)
	$(CC) $(SF_CPPFLAGS) -O2 -std=gnu11 $(WARN) -static -s -o $@ $<

$(BUILD)/bench/%: $(call obj,bench/%.c) $(TOOLS_LIB) $(COMPILE_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(SF_CFLAGS) $(SF_LDFLAGS) -o $@ $^ $(SECCOMP_LIBS) $(NETTLE_LIBS) $(JSON_LIBS) -lpthread

test-build: all $(UNIT_BINS) $(HELPER_BINS) $(TEST_LAUNCHER)

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

# The unit tests alone: no root, no installed tools, a few seconds; what
# a package build runs (debian/rules).
check-unit: all $(UNIT_BINS)
	BUILD=$(BUILD) SANITIZE=$(SANITIZE) tests/run-tests.sh --unit

# `sudo make demo` (issue 6; the README's first command): scripts/demo.sh
# installs what is missing (scripts/install-deps.sh, as `make deps`),
# builds, builds a second launcher in build/demo whose trusted store is
# /run/sysfence-demo/profiles, compiles examples/*.policy into it and runs
# programs confined as nobody, narrated.  It removes its setuid copy and
# store and restores sysctls on exit.  (No $(MAKE) in the recipe: `make -n
# demo` must not run it.)
demo:
	@scripts/demo.sh

# Benchmarks print ratios measured side by side in one run; never asserted.
bench: deps
	@$(MAKE) --no-print-directory test-build $(BENCH_BINS)
	BUILD=$(BUILD) bench/run.sh

# `make install`: DESTDIR for staging, PREFIX/BINDIR/MANDIR/DATADIR/
# DOCDIR/LIBDIR/INCLUDEDIR/PKGCONFIGDIR for the layout, PROFILE_DIR for the
# trusted store (baked into the launcher, so build with the same
# PROFILE_DIR).  NO_SETUID=1 installs the launcher 0755 for packaging as
# non-root; the package must make it setuid root.  `make uninstall` with
# the same variables removes every file it installed (and the store when
# it is empty).
MAN1 := $(wildcard man/*.1)
MAN3 := $(wildcard man/*.3)
MAN5 := $(wildcard man/*.5)
# Documentation (README, LICENSE, docs/*.md) in DOCDIR, with the embedding
# example (examples/embed) below it; libsysfence in LIBDIR, its header in
# INCLUDEDIR and sysfence.pc (made here, with these folders) in
# PKGCONFIGDIR.
DOCS     := README.md LICENSE $(wildcard docs/*.md)
EMBED    := examples/embed/embed.c examples/embed/Makefile
EXAMPLES := $(wildcard examples/*.policy)
LIBRARY  := $(wildcard share/include/*.policy)
# Bash completion (issue 6): one file, installed under each command's name
# so that bash-completion loads it on demand for either.
COMPLETIONDIR := $(DATADIR)/bash-completion/completions
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)/sysfence/examples \
		$(DESTDIR)$(DOCDIR)/examples/embed $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
		$(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 $(COMPILER) $(DESTDIR)$(BINDIR)/sysfence-compile
ifeq ($(NO_SETUID),1)
	install -m 0755 $(LAUNCHER) $(DESTDIR)$(BINDIR)/sysfence-launch
	@echo "note: $(DESTDIR)$(BINDIR)/sysfence-launch installed without the setuid bit;"
	@echo "      make it root-owned 04755 when packaging (trusted profiles need it)."
else
	install -m 04755 -o root -g root $(LAUNCHER) $(DESTDIR)$(BINDIR)/sysfence-launch
endif
	$(if $(MAN1),install -m 0644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/)
	$(if $(MAN3),install -m 0644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/)
	$(if $(MAN5),install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/)
	install -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/
	install -m 0644 $(EMBED) $(DESTDIR)$(DOCDIR)/examples/embed/
	install -m 0644 $(SHLIB) $(DESTDIR)$(LIBDIR)/$(SHLIB_NAME)
	ln -sf $(SHLIB_NAME) $(DESTDIR)$(LIBDIR)/libsysfence.so.$(SOVERSION)
	ln -sf libsysfence.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libsysfence.so
	install -m 0644 include/sysfence.h $(DESTDIR)$(INCLUDEDIR)/sysfence.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' src/lib/sysfence.pc.in >$(DESTDIR)$(PKGCONFIGDIR)/sysfence.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/sysfence.pc
	$(if $(EXAMPLES),install -m 0644 $(EXAMPLES) $(DESTDIR)$(DATADIR)/sysfence/examples/)
	install -d $(DESTDIR)$(LIBRARYDIR)
	install -m 0644 $(LIBRARY) $(DESTDIR)$(LIBRARYDIR)/
	install -d $(DESTDIR)$(COMPLETIONDIR)
	install -m 0644 completion/sysfence.bash $(DESTDIR)$(COMPLETIONDIR)/sysfence-compile
	install -m 0644 completion/sysfence.bash $(DESTDIR)$(COMPLETIONDIR)/sysfence-launch
ifeq ($(NO_SETUID),1)
	install -d -m 0755 $(DESTDIR)$(PROFILE_DIR)
else
	install -d -m 0755 -o root -g root $(DESTDIR)$(PROFILE_DIR)
endif
	@[ -n "$(DESTDIR)" ] || [ "$$(id -u)" -ne 0 ] || ldconfig

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sysfence-compile $(DESTDIR)$(BINDIR)/sysfence-launch
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(MAN3)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOCS)))
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/examples/embed/,$(notdir $(EMBED)))
	-rmdir $(DESTDIR)$(DOCDIR)/examples/embed $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null
	rm -f $(DESTDIR)$(LIBDIR)/$(SHLIB_NAME) $(DESTDIR)$(LIBDIR)/libsysfence.so.$(SOVERSION) \
		$(DESTDIR)$(LIBDIR)/libsysfence.so $(DESTDIR)$(INCLUDEDIR)/sysfence.h \
		$(DESTDIR)$(PKGCONFIGDIR)/sysfence.pc
	rm -f $(addprefix $(DESTDIR)$(LIBRARYDIR)/,$(notdir $(LIBRARY)))
	-rmdir $(DESTDIR)$(LIBRARYDIR) 2>/dev/null
	rm -rf $(DESTDIR)$(DATADIR)/sysfence
	rm -f $(DESTDIR)$(COMPLETIONDIR)/sysfence-compile $(DESTDIR)$(COMPLETIONDIR)/sysfence-launch
	-rmdir $(DESTDIR)$(PROFILE_DIR) 2>/dev/null
	@echo "note: profiles in $(DESTDIR)$(PROFILE_DIR) (if any) were kept"

clean:
	rm -rf build

# The Debian packages (debian/), built from a copy of the tree in
# build/deb and checked with lintian: scripts/build-deb.sh.
deb:
	@scripts/build-deb.sh

# debian/tests on the packages `make deb` built, installed on this machine
# (autopkgtest's null testbed, as root) and purged after:
# scripts/autopkgtest.sh.
autopkgtest:
	@scripts/autopkgtest.sh

-include $(shell find $(BUILD)/obj $(BUILD)/pic -name '*.d' 2>/dev/null)

# ==== fuzzing (tests/fuzz): libFuzzer, clang, ASan+UBSan ===================
# Owned by the fuzzing work of issue 5; self-contained, touches nothing above
# except adding the replay binaries to test-build.
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="fuzz_parse ..."]
#       each target for FUZZ_SECONDS with tests/fuzz/policy.dict and its
#       committed corpus.  New inputs go to build/fuzz/scratch/TARGET (the
#       committed corpus stays minimised seeds), crashes to
#       build/fuzz/artifacts/TARGET/.  Fails if any target found something.
#   make fuzz-ci     every target FUZZ_CI_SECONDS (15) s: about 60 s in all.
#   make fuzz-merge  minimises the scratch finds into tests/fuzz/corpus (by
#                    hand, then review and commit).
#   make fuzz-replay the targets with a plain main() (tests/fuzz/replay_main.c)
#                    instead of libFuzzer; tests/integration/fuzz_replay.sh
#                    runs them on the corpus and tests/fuzz/regressions in
#                    `make check`.  Built with clang when installed, else $(CC).
#
# The project is built again here with clang, instrumented for coverage:
# never the objects of build/ (gcc, other flags).
FUZZ_CC         ?= clang
FUZZ_DIR        := build/fuzz
FUZZ_SECONDS    ?= 60
FUZZ_CI_SECONDS ?= 15
FUZZ_TARGETS    ?= fuzz_parse fuzz_compile fuzz_blob fuzz_auditlog fuzz_oci
FUZZ_ALL        := fuzz_parse fuzz_compile fuzz_blob fuzz_auditlog fuzz_oci
# Extra libFuzzer options, e.g. FUZZ_OPTS="-jobs=1 -workers=1".
FUZZ_OPTS       ?=
# The replay binaries need no libFuzzer: clang when it links sanitized
# programs (its runtime is libclang-rt-dev), otherwise $(CC).  Probed once,
# and only when a replay binary is built.
REPLAY_CC ?= $(eval REPLAY_CC := $(shell echo 'int main(void) { return 0; }' | \
	$(FUZZ_CC) -x c -fsanitize=address,undefined -o /dev/null - >/dev/null 2>&1 && \
	echo $(FUZZ_CC) || echo $(CC)))$(REPLAY_CC)

FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all \
                 -fno-omit-frame-pointer
FUZZ_CPPFLAGS := -Iinclude -Itests/fuzz -D_GNU_SOURCE -DSYSFENCE_VERSION='"$(VERSION)"'
FUZZ_CFLAGS   := -std=gnu11 -O1 -g $(WARN) $(FUZZ_SAN)

# What each target links, beyond its own file: the libraries' own source
# lists, so a module added to a library is fuzzed with it.
FUZZ_SRC_fuzz_parse    := $(COMPILE_SRC) $(COMMON_SRC)
FUZZ_SRC_fuzz_compile  := $(COMPILE_SRC) $(COMMON_SRC)
FUZZ_SRC_fuzz_blob     := $(COMMON_SRC)
FUZZ_SRC_fuzz_auditlog := $(TOOLS_SRC) $(COMPILE_SRC) $(COMMON_SRC)
FUZZ_SRC_fuzz_oci      := $(TOOLS_SRC) $(COMPILE_SRC) $(COMMON_SRC)
FUZZ_LIBS_fuzz_parse    := $(SECCOMP_LIBS) $(NETTLE_LIBS) -lpthread
FUZZ_LIBS_fuzz_compile  := $(SECCOMP_LIBS) $(NETTLE_LIBS) -lpthread
FUZZ_LIBS_fuzz_blob     := $(NETTLE_LIBS)
FUZZ_LIBS_fuzz_auditlog := $(SECCOMP_LIBS) $(NETTLE_LIBS) $(JSON_LIBS) -lpthread
FUZZ_LIBS_fuzz_oci      := $(SECCOMP_LIBS) $(NETTLE_LIBS) $(JSON_LIBS) -lpthread
# Longest input libFuzzer makes up: a line over POLICY_MAX_LINE (4096) and
# over AUDITLOG_LINE_MAX (16384) must fit; blobs are 192 + 8 per instruction.
FUZZ_MAXLEN_fuzz_parse   := 8192
FUZZ_MAXLEN_fuzz_compile := 4096
FUZZ_MAXLEN_fuzz_blob    := 65536
FUZZ_MAXLEN_fuzz_auditlog := 20480
FUZZ_MAXLEN_fuzz_oci      := 16384

FUZZ_BINS   := $(addprefix $(FUZZ_DIR)/,$(FUZZ_ALL))
REPLAY_BINS := $(addprefix $(FUZZ_DIR)/replay/,$(FUZZ_ALL))

.PHONY: fuzz fuzz-ci fuzz-build fuzz-merge fuzz-replay fuzz-toolchain

# Coverage-instrumented objects for libFuzzer ...
FUZZ_COV := -fsanitize=fuzzer-no-link \
            -fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt
$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_COV) \
		$(SECCOMP_CFLAGS) -MMD -MP -c -o $@ $<
# ... and plain sanitized ones for the replay binaries.
$(FUZZ_DIR)/replay-obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(REPLAY_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) $(SECCOMP_CFLAGS) -MMD -MP -c -o $@ $<

# (Functions, not inline patsubst: make would put the stem in its '%'.)
fuzz_objs   = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_SRC_$(1)))
replay_objs = $(patsubst %.c,$(FUZZ_DIR)/replay-obj/%.o,$(FUZZ_SRC_$(1)))
.PRECIOUS: $(FUZZ_DIR)/obj/%.o $(FUZZ_DIR)/replay-obj/%.o
.SECONDEXPANSION:
$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $$(call fuzz_objs,fuzz_$$*)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS_fuzz_$*)
$(FUZZ_DIR)/replay/fuzz_%: $(FUZZ_DIR)/replay-obj/tests/fuzz/fuzz_%.o \
		$(FUZZ_DIR)/replay-obj/tests/fuzz/replay_main.o $$(call replay_objs,fuzz_$$*)
	@mkdir -p $(dir $@)
	$(REPLAY_CC) $(FUZZ_SAN) -o $@ $^ $(FUZZ_LIBS_fuzz_$*)

fuzz-replay: $(REPLAY_BINS)
test-build: fuzz-replay

fuzz-toolchain:
	@echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);' \
	      'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; return (int)n * 0; }' | \
	  $(FUZZ_CC) -x c -fsanitize=fuzzer,address,undefined -o /dev/null - 2>/dev/null || \
	  { echo "fuzz: '$(FUZZ_CC) -fsanitize=fuzzer' does not link: install clang and" \
	         "libclang-rt-dev (Debian 12: the libFuzzer and sanitizer runtimes," \
	         "only recommended by clang)" >&2; exit 1; }

fuzz-build: fuzz-toolchain
	@$(MAKE) --no-print-directory $(FUZZ_BINS)

# One target's run, as shell text; $(1) is the target.
define fuzz_run
mkdir -p $(FUZZ_DIR)/scratch/$(1) $(FUZZ_DIR)/artifacts/$(1); \
echo "== $(1): $(FUZZ_SECONDS) s (log: $(FUZZ_DIR)/$(1).log)"; \
nice -n 10 $(FUZZ_DIR)/$(1) -max_total_time=$(FUZZ_SECONDS) \
	-max_len=$(FUZZ_MAXLEN_$(1)) -timeout=30 -rss_limit_mb=2048 \
	-print_final_stats=1 -dict=tests/fuzz/policy.dict \
	-artifact_prefix=$(FUZZ_DIR)/artifacts/$(1)/ $(FUZZ_OPTS) \
	$(FUZZ_DIR)/scratch/$(1) tests/fuzz/corpus/$(1) >$(FUZZ_DIR)/$(1).log 2>&1; \
rc=$$?; \
grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)' \
	$(FUZZ_DIR)/$(1).log | sed 's/^/   /'; \
if [ $$rc -ne 0 ]; then \
	failed="$$failed $(1)"; \
	grep -E -A12 '(==[0-9]+==ERROR|runtime error|invariant failed|^SUMMARY)' \
		$(FUZZ_DIR)/$(1).log | head -40 | sed 's/^/   | /'; \
	echo "   $(1) FAILED (exit $$rc): input in $(FUZZ_DIR)/artifacts/$(1)/"; \
fi;
endef

# Each target in turn (two cores, other work on them: no -jobs), niced.
# A target that finds something does not stop the others; the run fails
# at the end naming them.
fuzz: fuzz-build
	@failed=""; \
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_run,$(t))) \
	if [ -n "$$failed" ]; then echo "fuzz: found something in:$$failed" >&2; exit 1; fi; \
	echo "fuzz: every target ran $(FUZZ_SECONDS) s without a finding"

fuzz-ci:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_CI_SECONDS) \
		FUZZ_TARGETS="$(FUZZ_ALL)"

fuzz-merge: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/scratch/$$t; \
		$(FUZZ_DIR)/$$t -merge=1 -dict=tests/fuzz/policy.dict \
			tests/fuzz/corpus/$$t $(FUZZ_DIR)/scratch/$$t; \
	done

-include $(shell find $(FUZZ_DIR)/obj $(FUZZ_DIR)/replay-obj -name '*.d' 2>/dev/null)
# ==== end of fuzzing ========================================================

# ==== static analysis (issue 5): make lint, make valgrind ===================
# Self-contained; touches nothing above.
#
#   make lint       cppcheck, then clang-tidy, over every src/*/*.c with the
#                   preprocessor view of the real build; any finding fails.
#                   `make -j2 lint` runs clang-tidy on two files at a time.
#   make valgrind   the compiler's unit tests and a representative set of
#                   sysfence-compile runs under valgrind memcheck
#                   (tests/valgrind.sh: which runs, and why not the launcher).
#
# Tools (Debian 12): cppcheck 2.10, clang-tidy 14, valgrind 3.19.  Not in
# scripts/install-deps.sh (`make check` does not need them): these targets
# install the missing ones when run as root, as `make deps` does, and
# otherwise say which are missing.  The clang-tidy check list, and
# why each family is on or off, is in .clang-tidy.  A false positive is
# suppressed on its own line with a comment saying why it is one:
# /* cppcheck-suppress ID */ or /* NOLINTNEXTLINE(check) */.
CPPCHECK   ?= cppcheck
CLANG_TIDY ?= clang-tidy
VALGRIND   ?= valgrind
LINT_SRC   := $(sort $(wildcard src/*/*.c))
# What the compiler sees: our headers, GNU extensions, the version and the
# launcher's store (both programs' sources are analysed with both defines).
LINT_DEFS  := -Iinclude -D_GNU_SOURCE -DSYSFENCE_VERSION='"$(VERSION)"' \
              -DSYSFENCE_PROFILE_DIR='"$(PROFILE_DIR)"' -DSYSFENCE_INCLUDE_DIR='"$(LIBRARYDIR)"'
# cppcheck:
#   --enable=warning,style,performance,portability,information
#       every category that reports bugs or dubious code (not
#       unusedFunction: the libraries' functions are used by other programs)
#   --suppress=missingIncludeSystem
#       cppcheck reads no system header, by design: it models libc through
#       --library, and would otherwise note each <...> include
#   --library=posix --library=gnu
#       what libc and POSIX functions do: allocation and release pairs,
#       arguments that must not be NULL, return values that must be used
#   --platform=unix64 -D__x86_64__ -D__linux__
#       the build's target.  With a -D cppcheck checks this configuration,
#       the one that is built, instead of guessing #ifdef combinations
#       (include/sysfence/launch/load.h #errors on unknown architectures)
#   --suppress=variableScope
#       "the scope of X can be reduced": a style preference; kernel style
#       declares variables at the top of a block
#   --inline-suppr
#       honours /* cppcheck-suppress ID */, each with its reason
#   --error-exitcode=1 -q
#       any finding fails `make lint`; nothing else is printed
CPPCHECK_FLAGS := --enable=warning,style,performance,portability,information \
                  --suppress=missingIncludeSystem --library=posix --library=gnu \
                  --platform=unix64 -D__x86_64__ -D__linux__ --std=c11 \
                  --suppress=variableScope --inline-suppr --error-exitcode=1 -q \
                  --template='{file}:{line}:{column}: {severity}: {message} [{id}]'
TIDY_FLAGS := -std=gnu11 $(LINT_DEFS) $(SECCOMP_CFLAGS)
TIDY_FILES := $(addprefix lint-tidy/,$(LINT_SRC))

.PHONY: lint lint-tools lint-cppcheck lint-tidy valgrind $(TIDY_FILES)

lint: lint-cppcheck lint-tidy
	@echo "lint: cppcheck and clang-tidy found nothing in $(words $(LINT_SRC)) files"

# lint_tools CMD:PACKAGE...: each command, or its Debian package installed.
define lint_tools
@for tp in $(1); do t=$${tp%%:*}; p=$${tp#*:}; \
	command -v $$t >/dev/null && continue; \
	if [ "$$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then \
		echo "$$t is not installed (Debian: apt-get install $$p)" >&2; exit 1; \
	fi; \
	echo "sysfence: installing $$p"; \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$p \
		>/dev/null || exit 1; \
done
endef

lint-tools:
	$(call lint_tools,$(CPPCHECK):cppcheck $(CLANG_TIDY):clang-tidy)

lint-cppcheck: lint-tools
	@echo "== cppcheck $$($(CPPCHECK) --version | sed 's/^Cppcheck //') on src/"
	@$(CPPCHECK) $(CPPCHECK_FLAGS) $(LINT_DEFS) src/

lint-tidy: $(TIDY_FILES)

# One clang-tidy per file (parallel with make -j); .clang-tidy makes every
# finding an error.  Only its "N warnings generated" count is dropped.
$(TIDY_FILES): lint-tidy/%: lint-tools
	@echo "== clang-tidy $*"
	@out=$$($(CLANG_TIDY) -quiet $* -- $(TIDY_FLAGS) 2>&1); rc=$$?; \
	printf '%s\n' "$$out" | grep -Ev '^([0-9]+ warnings? generated\.)?$$'; \
	exit $$rc

valgrind: test-build
	@[ "$(SANITIZE)" != 1 ] || \
		{ echo "valgrind: not with SANITIZE=1 (ASan and valgrind exclude each other)" >&2; exit 1; }
	$(call lint_tools,$(VALGRIND):valgrind)
	BUILD=$(BUILD) VALGRIND=$(VALGRIND) tests/valgrind.sh
# ==== end of static analysis ================================================

# ==== formatting: make format, make format-check ============================
# clang-format with .clang-format (kernel style) over every C file we own;
# format-check changes nothing and fails naming the files that differ
# (.ci/run runs it).  Debian 12: clang-format 14.
CLANG_FORMAT ?= clang-format
FORMAT_SRC := $(sort $(wildcard src/*/*.c include/sysfence/*.h include/sysfence/*/*.h \
	include/*.h tests/unit/*.c tests/helpers/*.c tests/common/*.h tests/fuzz/*.c \
	tests/fuzz/*.h bench/*.c examples/*/*.c))

.PHONY: format-check format-tools
format-tools:
	$(call lint_tools,$(CLANG_FORMAT):clang-format)

format: format-tools
	@$(CLANG_FORMAT) -i $(FORMAT_SRC)

format-check: format-tools
	@bad=""; for f in $(FORMAT_SRC); do \
		$(CLANG_FORMAT) "$$f" | cmp -s - "$$f" || bad="$$bad $$f"; \
	done; \
	if [ -n "$$bad" ]; then \
		echo "format-check: not formatted (run make format):$$bad" >&2; exit 1; \
	fi; \
	echo "format-check: $(words $(FORMAT_SRC)) files formatted"
# ==== end of formatting =====================================================

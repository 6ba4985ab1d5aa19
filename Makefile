# probebox - one static musl binary of service checkers
#
#   make                 build build/probebox (fetches and builds the TLS library on first use)
#   make CONFIG=NAME     build configs/NAME_defconfig side by side: build/NAME/probebox, with its
#                        own build/NAME/.config (seeded from the defconfig), autoconf.h and objects
#   make menuconfig      choose applets, protocols and the TLS backend (also: defconfig,
#                        NAME_defconfig for configs/NAME_defconfig, olddefconfig, savedefconfig)
#   make test            unit + integration tests, also under ASan/UBSan, fuzz regressions;
#                        also builds and tests CONFIG=bearssl and CONFIG=tiny
#   make fuzz            build libFuzzer targets (clang) into build/fuzz/; FUZZ_SECONDS=N also
#                        runs each for N seconds (tests/fuzz/run.sh), summary in build/fuzz/
#   make bench           our checks and their peers (installed from Debian) measured side by
#                        side: bench/results.md, bench/profile.txt, docs/bench.md
#   make size            every configs/*_defconfig against its size budget: docs/size.md
#                        (MAP=1 on any build writes its link map beside the binary)
#   make install         DESTDIR= PREFIX=/usr/local: the binary and its applet links
#
# MBEDTLS_SRC=DIR / BEARSSL_SRC=DIR build against a source tree you already have.

VERSION := 0.1.0
PYTHON ?= /usr/bin/python3
PREFIX ?= /usr/local
DESTDIR ?=
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

# VARIANT=musl: the release binary (static, musl, -Os, LTO, stripped)
# VARIANT=asan: the same code on glibc with AddressSanitizer and UBSan, for the test suite
VARIANT ?= musl
B := build
# config-independent generated files (applets.h, probes.h, usage.h, Config.*, build.mk)
G := $(B)/gen
# CB: where a configuration builds; CG: its autoconf.h (sources include "autoconf.h" via -I)
CONFIG ?=
ifeq ($(CONFIG),)
CB := $(B)
CG := $(G)
KCONFIG_CONFIG ?= .config
SEED := configs/defconfig
else
ifneq ($(filter musl asan fuzz valgrind gen apt %-src,$(CONFIG)),)
$(error CONFIG=$(CONFIG) would clash with a directory of build/)
endif
CB := $(B)/$(CONFIG)
CG := $(CB)/gen
KCONFIG_CONFIG := $(CB)/.config
SEED := configs/$(CONFIG)_defconfig
endif
# kconfiglib reads KCONFIG_CONFIG from the environment: pass it per command, not exported,
# so a sub-make for another CONFIG never inherits this one's
KC := KCONFIG_CONFIG=$(KCONFIG_CONFIG)
O := $(CB)/$(VARIANT)
# the TLS library depends on the variant's flags and tls/mbedtls_config.h, not on .config:
# one build per variant serves every configuration
L := $(B)/$(VARIANT)

MBEDTLS_SRC ?= $(B)/mbedtls-src
BEARSSL_SRC ?= $(B)/bearssl-src

WARN := -Wall -Wextra -Wundef -Wshadow -Wstrict-prototypes -Wno-unused-parameter
ifeq ($(VARIANT),musl)
CC := musl-gcc
AR := gcc-ar
OPT := -Os -ffunction-sections -fdata-sections -flto=auto -fno-asynchronous-unwind-tables -fno-unwind-tables
LIBOPT := $(OPT)
# -z norelro: nothing in a static musl binary applies PT_GNU_RELRO (only ld.so does), and
# aligning its end to a page pads the file by up to 4 kB
LDFLAGS := -static -flto=auto -Wl,--gc-sections -s -Wl,-z,noseparate-code -Wl,--build-id=none \
	-Wl,-z,norelro
OUTBIN := $(CB)/probebox
# MAP=1: also write the link map, $(CB)/probebox.map (what each symbol costs; see docs/size.md)
ifeq ($(MAP),1)
LDFLAGS += -Wl,-Map=$(CB)/probebox.map
endif
else ifeq ($(VARIANT),asan)
CC := gcc
AR := ar
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
OPT := -O1 -g $(SAN)
LIBOPT := -O1 -g
LDFLAGS := $(SAN) -pthread -lm
OUTBIN := $(O)/probebox
else ifeq ($(VARIANT),fuzz)
# libFuzzer: clang instruments our code; the TLS library is built plainly
CC := clang
AR := ar
SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
OPT := -O1 -g $(SAN)
LIBOPT := -O1 -g
LDFLAGS := -fsanitize=fuzzer,address,undefined -pthread -lm
OUTBIN := $(O)/probebox
else ifeq ($(VARIANT),valgrind)
# the same code on glibc without sanitizers, for valgrind memcheck (VALGRIND=1 tests/run.sh):
# valgrind does not run under ASan, and the static musl binary's allocator hides from it
CC := gcc
AR := ar
OPT := -O1 -g
LIBOPT := -O1 -g
LDFLAGS := -pthread -lm
OUTBIN := $(O)/probebox
else
$(error VARIANT must be musl, asan, fuzz or valgrind)
endif
WERROR ?= -Werror
CFLAGS ?=
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(WERROR) $(OPT) -I$(CG) -DPROBEBOX_VERSION='"$(VERSION)"' $(CFLAGS)

-include $(KCONFIG_CONFIG)
-include $(G)/build.mk

ifeq ($(CONFIG_TLS_MBEDTLS),y)
TLSLIB := $(L)/libmbedtls.a
TLSINC := -isystem $(MBEDTLS_SRC)/include -DMBEDTLS_CONFIG_FILE='"$(CURDIR)/tls/mbedtls_config.h"'
TLSOBJ := tls/tls_mbedtls.o tls/tls_common.o tls/cert.o tls/hash_mbedtls.o
else ifeq ($(CONFIG_TLS_BEARSSL),y)
TLSLIB := $(L)/libbearssl.a
TLSINC := -isystem $(BEARSSL_SRC)/inc
TLSOBJ := tls/tls_bearssl.o tls/tls_common.o tls/cert.o tls/hash_bearssl.o
else
TLSLIB :=
TLSINC :=
TLSOBJ := tls/tls_none.o tls/tls_common.o tls/cert.o
endif

CORE := lib/util.o net/conn.o
# tls/cert.o (pure PEM/X.509 readers) is in every build, so every build's unit tests and fuzz
# targets have it; --gc-sections drops it from binaries whose backend does not call it.
# tls/hash_*.o: lib/hash.h on the backend's hashes (without TLS: lib/hash.c, CONFIG_HASH_OWN)
OBJS := $(addprefix $(O)/,$(sort $(CORE) $(obj-y) $(TLSOBJ)))
HDRS := $(CG)/autoconf.h $(G)/applets.h $(G)/probes.h $(G)/usage.h

PHONY_EXTRA := test-programs fuzz-programs test-build
.PHONY: all tools $(PHONY_EXTRA) menuconfig defconfig olddefconfig savedefconfig test unit fuzz bench \
	install clean distclean demo size bloat
.DELETE_ON_ERROR:

all: $(OUTBIN)

# --- tools and configuration -------------------------------------------------------------
$(B)/.tools:
	$(Q)mkdir -p $(B)
	$(Q)if ! command -v musl-gcc >/dev/null || ! $(PYTHON) -c 'import kconfiglib' 2>/dev/null \
	   || ! command -v bzip2 >/dev/null || ! command -v xz >/dev/null; then sh scripts/deps.sh tools; fi
	$(Q)touch $@

tools: $(B)/.tools

# regenerate when a source changes and when one is added or removed (srcs.list changes)
APPLET_SRCS := $(sort $(wildcard applets/*.c net/*.c lib/*.c))
$(shell mkdir -p $(G); echo '$(APPLET_SRCS)' | cmp -s - $(G)/srcs.list || echo '$(APPLET_SRCS)' > $(G)/srcs.list)
$(G)/stamp: $(APPLET_SRCS) $(G)/srcs.list scripts/gen_applets.sh
	$(Q)sh scripts/gen_applets.sh $(G)
	$(Q)touch $@
# a recipe (even an empty one) makes make re-read build.mk after regenerating it
$(G)/Config.applets $(G)/Config.net $(G)/Config.lib $(G)/build.mk $(G)/applets.h $(G)/probes.h $(G)/usage.h: $(G)/stamp
	@:

KCONF_DEPS := Kconfig $(G)/stamp $(B)/.tools
# .config is an included makefile with a rule, so when Kconfig text changes (a new applet)
# make brings it up to date and re-reads it before it computes the object list. The user's
# .config is kept and completed (olddefconfig); a CONFIG=NAME one is remade from its seed.
ifeq ($(CONFIG),)
$(KCONFIG_CONFIG): Kconfig $(G)/Config.applets $(G)/Config.net $(G)/Config.lib | $(B)/.tools
	$(Q)if [ -f $@ ]; then $(KC) $(PYTHON) -m olddefconfig Kconfig >/dev/null; \
	else $(KC) $(PYTHON) -m defconfig --kconfig Kconfig $(SEED) >/dev/null; fi
	$(Q)touch $@
else
$(KCONFIG_CONFIG): $(SEED) Kconfig $(G)/Config.applets $(G)/Config.net $(G)/Config.lib | $(B)/.tools
	$(Q)test -f $(SEED) || { echo "no $(SEED) for CONFIG=$(CONFIG)" >&2; exit 1; }
	$(Q)mkdir -p $(dir $@)
	$(Q)$(KC) $(PYTHON) -m defconfig --kconfig Kconfig $(SEED) >/dev/null
	$(Q)touch $@
endif

# the header changes only when the configuration does (the writer keeps an equal file)
$(CG)/autoconf.h: $(KCONFIG_CONFIG) scripts/kconfig_header.py | $(B)/.tools
	$(Q)mkdir -p $(CG)
	$(Q)$(PYTHON) scripts/kconfig_header.py Kconfig $(KCONFIG_CONFIG) $@
	$(Q)touch $@

menuconfig: $(KCONF_DEPS)
	@if [ -t 0 ] && [ -t 1 ]; then $(KC) $(PYTHON) -m menuconfig Kconfig; else \
	  echo "menuconfig needs a terminal; ran olddefconfig instead" >&2; $(KC) $(PYTHON) -m olddefconfig Kconfig; fi
defconfig: $(KCONF_DEPS)
	$(KC) $(PYTHON) -m defconfig --kconfig Kconfig $(SEED)
%_defconfig: configs/%_defconfig $(KCONF_DEPS)
	$(KC) $(PYTHON) -m defconfig --kconfig Kconfig $<
olddefconfig: $(KCONF_DEPS)
	$(KC) $(PYTHON) -m olddefconfig Kconfig
savedefconfig: $(KCONF_DEPS)
	$(KC) $(PYTHON) -m savedefconfig --kconfig Kconfig --out defconfig
	@echo "wrote ./defconfig"

# --- TLS libraries from Debian's source packages ------------------------------------------
$(B)/mbedtls-src/library/ssl_tls.c: | $(B)/.tools
	$(Q)sh scripts/deps.sh src mbedtls $(B)/mbedtls-src
$(B)/bearssl-src/src/ssl/ssl_engine.c: | $(B)/.tools
	$(Q)sh scripts/deps.sh src bearssl $(B)/bearssl-src

# the flags reach lib.mk through the environment, quotes intact
$(L)/libmbedtls.a: export LIB_CFLAGS = -std=c99 $(LIBOPT) $(TLSINC) -I$(MBEDTLS_SRC)/library
# mbedTLS's multiply-accumulate loop and NIST reductions at -O2 in the release build: +4 kB
# for 12 % fewer instructions a verified check (docs/tls-tuning.md)
$(L)/libmbedtls.a: export FAST_CFLAGS = $(if $(filter musl,$(VARIANT)),-O2)
$(L)/libbearssl.a: export LIB_CFLAGS = $(LIBOPT) -I$(BEARSSL_SRC)/inc -I$(BEARSSL_SRC)/src
$(L)/libmbedtls.a: $(MBEDTLS_SRC)/library/ssl_tls.c tls/mbedtls_config.h
	@# the objects depend on our config header too: a changed config rebuilds them all
	$(Q)rm -rf $(L)/mbedtls && mkdir -p $(L)/mbedtls
	@echo "  LIB     mbedTLS ($(VARIANT))"
	$(Q)$(MAKE) --no-print-directory -f scripts/lib.mk OUT=$(L)/mbedtls LIB=$@ CC='$(CC)' \
		AR='$(AR)' SRCDIR=$(MBEDTLS_SRC)/library FAST='bignum_core.o ecp_curves.o'

$(L)/libbearssl.a: $(BEARSSL_SRC)/src/ssl/ssl_engine.c
	$(Q)rm -rf $(L)/bearssl && mkdir -p $(L)/bearssl
	@echo "  LIB     BearSSL ($(VARIANT))"
	$(Q)$(MAKE) --no-print-directory -f scripts/lib.mk OUT=$(L)/bearssl LIB=$@ CC='$(CC)' \
		AR='$(AR)' SRCDIR=$(BEARSSL_SRC)/src


# --- our objects --------------------------------------------------------------------------
# a rebuilt TLS library (new sources: their headers and version) rebuilds our objects too;
# -MMD does not track the library's headers (they are -isystem)
$(O)/%.o: %.c $(HDRS) $(TLSLIB)
	$(Q)mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(TLSINC) -MMD -MP -c $< -o $@

-include $(OBJS:.o=.d)

$(OUTBIN): $(OBJS) $(TLSLIB)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(TLSLIB) $(LDFLAGS)
ifeq ($(VARIANT),musl)
	@ls -l $@ | awk '{print "  SIZE    " $$5 " bytes"}'
endif

# every configs/*_defconfig against its budget, per-applet and per-probe costs: docs/size.md;
# fails when a build is over its budget (not part of make test)
size:
	$(Q)sh scripts/size.sh

# --- tests, fuzzing, benchmarks -----------------------------------------------------------
# unit tests and fuzz targets link every object but the multicall main
LIBOBJS := $(filter-out $(O)/applets/probebox.o,$(OBJS))
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(wildcard tests/unit/*.c))
# test tools: programs on our objects that integration tests drive (tests/tools/*.c)
TOOL_BINS := $(patsubst tests/tools/%.c,$(O)/tests/tools/%,$(wildcard tests/tools/*.c))
FUZZ_SRCS := $(filter-out tests/fuzz/driver.c,$(wildcard tests/fuzz/*.c))
ifeq ($(VARIANT),fuzz)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(CB)/fuzz/%,$(FUZZ_SRCS))
FUZZ_DRIVER :=
else
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(O)/tests/fuzz/%,$(FUZZ_SRCS))
FUZZ_DRIVER := tests/fuzz/driver.c
endif

$(O)/tests/unit/%: tests/unit/%.c tests/unit/t.h $(LIBOBJS) $(TLSLIB)
	$(Q)mkdir -p $(dir $@)
	@echo "  UNIT    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(TLSINC) -o $@ $< $(LIBOBJS) $(TLSLIB) $(LDFLAGS)

$(O)/tests/tools/%: tests/tools/%.c $(LIBOBJS) $(TLSLIB)
	$(Q)mkdir -p $(dir $@)
	@echo "  TOOL    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(TLSINC) -o $@ $< $(LIBOBJS) $(TLSLIB) $(LDFLAGS)

$(O)/tests/fuzz/% $(CB)/fuzz/%: tests/fuzz/%.c $(FUZZ_DRIVER) $(LIBOBJS) $(TLSLIB)
	$(Q)mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(TLSINC) -o $@ $< $(FUZZ_DRIVER) $(LIBOBJS) $(TLSLIB) $(LDFLAGS)

test-programs: $(OUTBIN) $(UNIT_BINS) $(TOOL_BINS) $(FUZZ_BINS)
# libFuzzer brings its own main(): the fuzz variant builds the targets only
fuzz-programs: $(FUZZ_BINS)

# the test command of README.md and .ci/run
test:
	$(Q)sh scripts/deps.sh testtools
	$(Q)$(MAKE) --no-print-directory test-build
	$(Q)sh tests/run.sh

# every binary the suite runs: release and ASan builds of the default and BearSSL configs, tiny,
# and the release builds of the other defconfigs CI builds (openwrt, container when present)
test-build:
	$(Q)$(MAKE) --no-print-directory CONFIG= all
	$(Q)$(MAKE) --no-print-directory CONFIG= VARIANT=asan test-programs
	$(Q)$(MAKE) --no-print-directory CONFIG=bearssl all
	$(Q)$(MAKE) --no-print-directory CONFIG=bearssl VARIANT=asan test-programs
	$(Q)$(MAKE) --no-print-directory CONFIG=tiny all
	$(Q)$(MAKE) --no-print-directory CONFIG=openwrt all
	$(Q)if [ -f configs/container_defconfig ]; then $(MAKE) --no-print-directory CONFIG=container all; fi

# libFuzzer targets in build/fuzz/ (needs clang); run e.g. build/fuzz/re2 tests/fuzz/corpus/re2
fuzz:
	$(Q)command -v clang >/dev/null || sh scripts/deps.sh fuzztools
	$(Q)$(MAKE) --no-print-directory VARIANT=fuzz fuzz-programs
	$(Q)$(if $(FUZZ_SECONDS),sh tests/fuzz/run.sh $(FUZZ_SECONDS))

bench: all
	$(Q)sh bench/run.sh

demo: all
	$(Q)sh scripts/demo.sh

# what each applet and TLS backend costs, against the Kconfig prompts' "(+N kB)"
bloat:
	$(Q)sh scripts/bloat.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(OUTBIN) $(DESTDIR)$(PREFIX)/bin/probebox
	$(OUTBIN) --list | while read a; do ln -sf probebox $(DESTDIR)$(PREFIX)/bin/$$a; done

# every side-by-side configuration directory, build/NAME for each configs/NAME_defconfig
CONFIG_DIRS := $(patsubst configs/%_defconfig,$(B)/%,$(wildcard configs/*_defconfig))
clean:
	rm -rf $(B)/musl $(B)/asan $(B)/fuzz $(B)/valgrind $(B)/probebox $(B)/gen $(CONFIG_DIRS) \
		$(B)/size-defconfig $(B)/bloat $(B)/bloat-*

distclean:
	rm -rf $(B) $(KCONFIG_CONFIG) $(KCONFIG_CONFIG).old

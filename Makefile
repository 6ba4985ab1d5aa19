# probebox - one static musl binary of service checkers
#
#   make                 build build/probebox (fetches and builds the TLS library on first use)
#   make menuconfig      choose applets, protocols and the TLS backend (also: defconfig,
#                        NAME_defconfig for configs/NAME_defconfig, olddefconfig, savedefconfig)
#   make test            unit + integration tests, also under ASan/UBSan, fuzz regressions
#   make fuzz            build libFuzzer targets (clang) into build/fuzz/
#   make bench           benchmarks, results in bench/results.md
#   make install         DESTDIR= PREFIX=/usr/local: the binary and its applet links
#
# MBEDTLS_SRC=DIR / BEARSSL_SRC=DIR build against a source tree you already have.

VERSION := 0.1.0
PYTHON ?= /usr/bin/python3
KCONFIG_CONFIG ?= .config
export KCONFIG_CONFIG
PREFIX ?= /usr/local
DESTDIR ?=
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

# VARIANT=musl: the release binary (static, musl, -Os, LTO, stripped)
# VARIANT=asan: the same code on glibc with AddressSanitizer and UBSan, for the test suite
VARIANT ?= musl
B := build
G := $(B)/gen
O := $(B)/$(VARIANT)

MBEDTLS_SRC ?= $(B)/mbedtls-src
BEARSSL_SRC ?= $(B)/bearssl-src

WARN := -Wall -Wextra -Wundef -Wshadow -Wstrict-prototypes -Wno-unused-parameter
ifeq ($(VARIANT),musl)
CC := musl-gcc
AR := gcc-ar
OPT := -Os -ffunction-sections -fdata-sections -flto=auto -fno-asynchronous-unwind-tables -fno-unwind-tables
LIBOPT := $(OPT)
LDFLAGS := -static -flto=auto -Wl,--gc-sections -s -Wl,-z,noseparate-code -Wl,--build-id=none
OUTBIN := $(B)/probebox
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
else
$(error VARIANT must be musl, asan or fuzz)
endif
WERROR ?= -Werror
CFLAGS ?=
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(WERROR) $(OPT) -DPROBEBOX_VERSION='"$(VERSION)"' $(CFLAGS)

-include $(KCONFIG_CONFIG)
-include $(G)/build.mk

ifeq ($(CONFIG_TLS_MBEDTLS),y)
TLSLIB := $(O)/libmbedtls.a
TLSINC := -isystem $(MBEDTLS_SRC)/include -DMBEDTLS_CONFIG_FILE='"$(CURDIR)/tls/mbedtls_config.h"'
TLSOBJ := tls/tls_mbedtls.o tls/tls_common.o
else ifeq ($(CONFIG_TLS_BEARSSL),y)
TLSLIB := $(O)/libbearssl.a
TLSINC := -isystem $(BEARSSL_SRC)/inc
TLSOBJ := tls/tls_bearssl.o tls/tls_common.o
else
TLSLIB :=
TLSINC :=
TLSOBJ := tls/tls_none.o tls/tls_common.o
endif

CORE := lib/util.o net/conn.o
OBJS := $(addprefix $(O)/,$(sort $(CORE) $(obj-y) $(TLSOBJ)))
HDRS := $(G)/autoconf.h $(G)/applets.h $(G)/usage.h

PHONY_EXTRA := test-programs fuzz-programs
.PHONY: all tools $(PHONY_EXTRA) menuconfig defconfig olddefconfig savedefconfig test unit fuzz bench \
	install clean distclean demo size
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
$(G)/Config.applets $(G)/Config.net $(G)/build.mk $(G)/applets.h $(G)/usage.h: $(G)/stamp

KCONF_DEPS := Kconfig $(G)/stamp $(B)/.tools
$(KCONFIG_CONFIG): | $(KCONF_DEPS)
	$(Q)$(PYTHON) -m defconfig --kconfig Kconfig configs/defconfig >/dev/null

$(G)/autoconf.h: $(KCONFIG_CONFIG) $(KCONF_DEPS) scripts/kconfig_header.py
	$(Q)$(PYTHON) -m olddefconfig Kconfig >/dev/null
	$(Q)$(PYTHON) scripts/kconfig_header.py Kconfig $(KCONFIG_CONFIG) $@
	$(Q)touch $@

menuconfig: $(KCONF_DEPS)
	@if [ -t 0 ] && [ -t 1 ]; then $(PYTHON) -m menuconfig Kconfig; else \
	  echo "menuconfig needs a terminal; ran olddefconfig instead" >&2; $(PYTHON) -m olddefconfig Kconfig; fi
defconfig: $(KCONF_DEPS)
	$(PYTHON) -m defconfig --kconfig Kconfig configs/defconfig
%_defconfig: configs/%_defconfig $(KCONF_DEPS)
	$(PYTHON) -m defconfig --kconfig Kconfig $<
olddefconfig: $(KCONF_DEPS)
	$(PYTHON) -m olddefconfig Kconfig
savedefconfig: $(KCONF_DEPS)
	$(PYTHON) -m savedefconfig --kconfig Kconfig --out defconfig
	@echo "wrote ./defconfig"

# --- TLS libraries from Debian's source packages ------------------------------------------
$(B)/mbedtls-src/library/ssl_tls.c: | $(B)/.tools
	$(Q)sh scripts/deps.sh src mbedtls $(B)/mbedtls-src
$(B)/bearssl-src/src/ssl/ssl_engine.c: | $(B)/.tools
	$(Q)sh scripts/deps.sh src bearssl $(B)/bearssl-src

# the flags reach lib.mk through the environment, quotes intact
$(O)/libmbedtls.a: export LIB_CFLAGS = -std=c99 $(LIBOPT) $(TLSINC) -I$(MBEDTLS_SRC)/library
$(O)/libbearssl.a: export LIB_CFLAGS = $(LIBOPT) -I$(BEARSSL_SRC)/inc -I$(BEARSSL_SRC)/src
$(O)/libmbedtls.a: $(MBEDTLS_SRC)/library/ssl_tls.c tls/mbedtls_config.h
	@# the objects depend on our config header too: a changed config rebuilds them all
	$(Q)rm -rf $(O)/mbedtls && mkdir -p $(O)/mbedtls
	@echo "  LIB     mbedTLS ($(VARIANT))"
	$(Q)$(MAKE) --no-print-directory -f scripts/lib.mk OUT=$(O)/mbedtls LIB=$@ CC='$(CC)' \
		AR='$(AR)' SRCDIR=$(MBEDTLS_SRC)/library

$(O)/libbearssl.a: $(BEARSSL_SRC)/src/ssl/ssl_engine.c
	$(Q)mkdir -p $(O)/bearssl
	@echo "  LIB     BearSSL ($(VARIANT))"
	$(Q)$(MAKE) --no-print-directory -f scripts/lib.mk OUT=$(O)/bearssl LIB=$@ CC='$(CC)' \
		AR='$(AR)' SRCDIR=$(BEARSSL_SRC)/src


# --- our objects --------------------------------------------------------------------------
$(O)/%.o: %.c $(HDRS) | $(TLSLIB)
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

size: $(OUTBIN)
	@size $(OUTBIN)

# --- tests, fuzzing, benchmarks -----------------------------------------------------------
# unit tests and fuzz targets link every object but the multicall main
LIBOBJS := $(filter-out $(O)/applets/probebox.o,$(OBJS))
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(wildcard tests/unit/*.c))
FUZZ_SRCS := $(filter-out tests/fuzz/driver.c,$(wildcard tests/fuzz/*.c))
ifeq ($(VARIANT),fuzz)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRCS))
FUZZ_DRIVER :=
else
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(O)/tests/fuzz/%,$(FUZZ_SRCS))
FUZZ_DRIVER := tests/fuzz/driver.c
endif

$(O)/tests/unit/%: tests/unit/%.c tests/unit/t.h $(LIBOBJS) $(TLSLIB)
	$(Q)mkdir -p $(dir $@)
	@echo "  UNIT    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(TLSINC) -o $@ $< $(LIBOBJS) $(TLSLIB) $(LDFLAGS)

$(O)/tests/fuzz/% $(B)/fuzz/%: tests/fuzz/%.c $(FUZZ_DRIVER) $(LIBOBJS) $(TLSLIB)
	$(Q)mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(TLSINC) -o $@ $< $(FUZZ_DRIVER) $(LIBOBJS) $(TLSLIB) $(LDFLAGS)

test-programs: $(OUTBIN) $(UNIT_BINS) $(FUZZ_BINS)
fuzz-programs: $(FUZZ_BINS)

# the test command of README.md and .ci/run
test:
	$(Q)sh scripts/deps.sh testtools
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory VARIANT=asan test-programs
	$(Q)sh tests/run.sh

# libFuzzer targets in build/fuzz/ (needs clang); run e.g. build/fuzz/re2posix tests/fuzz/corpus/re2posix
fuzz:
	$(Q)command -v clang >/dev/null || sh scripts/deps.sh fuzztools
	$(Q)$(MAKE) --no-print-directory VARIANT=fuzz fuzz-programs

bench: all
	$(Q)sh bench/run.sh

demo: all
	$(Q)sh scripts/demo.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(B)/probebox $(DESTDIR)$(PREFIX)/bin/probebox
	$(B)/probebox --list | while read a; do ln -sf probebox $(DESTDIR)$(PREFIX)/bin/$$a; done

clean:
	rm -rf $(B)/musl $(B)/asan $(B)/fuzz $(B)/probebox $(B)/gen

distclean:
	rm -rf $(B) $(KCONFIG_CONFIG) $(KCONFIG_CONFIG).old

# brop — PostgreSQL extension (brop.so), the brop CLI, and the pure-C core
# they share. README.md: `make demo` and `make test` do all the set-up.

# the newest PostgreSQL installed from Debian (one per machine: 15, 17 or 18)
PG_CONFIG ?= $(firstword $(lastword $(sort $(wildcard /usr/lib/postgresql/*/bin/pg_config))) $(shell command -v pg_config 2>/dev/null))
PGXS := $(if $(PG_CONFIG),$(shell $(PG_CONFIG) --pgxs 2>/dev/null))

ifeq ($(PGXS),)
# PostgreSQL's build files are not installed yet: install what is missing,
# then run the same goal again with the pg_config that brought.
.DEFAULT_GOAL := all
all:
	scripts/deps.sh
	$(MAKE) all
%:: force
	scripts/deps.sh
	$(MAKE) $@
force: ;
Makefile: ;
else

EXTENSION = brop
MODULE_big = brop
DATA = $(sort $(wildcard brop--*.sql))
CORE_SRCS := $(sort $(wildcard src/core/*.c))
# src/pg and src/cli: one folder per module, plus the library's and the
# command's entry points (src/pg/module.c, src/cli/main.c). Their order is
# scripts/layers.sh's (docs/architecture.md); a file includes a module's
# header as "module/header.h".
PG_SRCS := $(sort $(wildcard src/pg/*.c src/pg/*/*.c))
CLI_SRCS := $(sort $(wildcard src/cli/*.c src/cli/*/*.c))
PG_HDRS := $(wildcard src/pg/*/*.h)
CLI_HDRS := $(wildcard src/cli/*/*.h)
UNIT_SRCS := $(sort $(wildcard test/unit/*.c))
FUZZ_SRCS := $(sort $(wildcard test/fuzz/fuzz_*.c))
CORE_HDRS := $(wildcard src/core/*.h)

OBJS = $(CORE_SRCS:.c=.o) $(PG_SRCS:.c=.o)
# PKCS#11's types (p11-kit's header; modules are dlopen'ed, nothing linked)
P11_CFLAGS := $(shell pkg-config --cflags p11-kit-1 2>/dev/null)
PG_CPPFLAGS = -Isrc/core -Isrc/pg $(P11_CFLAGS)
WARN = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
PG_CFLAGS = $(WARN) -Wno-sign-compare
SHLIB_LINK = -lsodium -lsecp256k1 -lcrypto -ljansson
EXTRA_CLEAN = build bin
# (make installcheck is ours, below: PGXS's would not check the server's set-up)
NO_INSTALLCHECK = 1

include $(PGXS)

# The core is C11 with declarations where they are used.
$(CORE_SRCS:.c=.o): CFLAGS += -Wno-declaration-after-statement
$(OBJS): $(CORE_HDRS)
$(PG_SRCS:.c=.o): $(PG_HDRS)

# ---- core, CLI and unit tests, outside PGXS ------------------------------
CC_CORE ?= gcc
CORE_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -O2 -g -fPIC -Isrc/core $(P11_CFLAGS) $(WARN) -Wshadow -Wstrict-prototypes
CORE_LIBS = -lsodium -lsecp256k1 -lcrypto -ljansson
PG_INCLUDEDIR := $(shell $(PG_CONFIG) --includedir)
PG_LIBDIR := $(shell $(PG_CONFIG) --libdir)

# The other packages the build needs, by their headers: checked before any
# goal (a stamp, again when this file or scripts/deps.sh changes); when one
# is missing, scripts/deps.sh installs them (or says what to run).
DEP_HEADERS ?= sodium.h secp256k1.h secp256k1_schnorrsig.h openssl/evp.h jansson.h libpq-fe.h p11-kit-1/p11-kit/pkcs11.h
dep_missing = for h in $(DEP_HEADERS); do echo "\#include <$$h>" | $(CC_CORE) -E -x c -I$(PG_INCLUDEDIR) - >/dev/null 2>&1 || echo $$h; done
ifeq ($(filter clean distclean,$(MAKECMDGOALS)),)
include build/deps.mk
endif
build/deps.mk: Makefile scripts/deps.sh
	@mkdir -p $(@D)
	@missing=$$($(dep_missing)); if [ -n "$$missing" ]; then \
	  echo "brop needs headers that are missing:" $$missing "- running scripts/deps.sh" >&2; \
	  scripts/deps.sh || exit 1; missing=$$($(dep_missing)); \
	  if [ -n "$$missing" ]; then echo "still missing after scripts/deps.sh:" $$missing "(install the packages that have them: apt-file search NAME)" >&2; exit 1; fi; fi
	@echo "# build dependencies found: $(DEP_HEADERS)" >$@

build/core/%.o: src/core/%.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC_CORE) $(CORE_CFLAGS) -c -o $@ $<

build/libbropcore.a: $(CORE_SRCS:src/core/%.c=build/core/%.o)
	rm -f $@
	ar rcs $@ $^

# The CLI's version is the extension's: brop.control's default_version.
BROP_VERSION := $(shell sed -n "s/^default_version = '\\(.*\\)'/\\1/p" brop.control)
build/cli/%.o: src/cli/%.c $(CORE_HDRS) $(CLI_HDRS)
	@mkdir -p $(@D)
	$(CC_CORE) $(CORE_CFLAGS) -DBROP_VERSION='"$(BROP_VERSION)"' -Isrc/cli -I$(PG_INCLUDEDIR) -c -o $@ $<
build/cli/main.o: brop.control

bin/brop: $(CLI_SRCS:src/cli/%.c=build/cli/%.o) build/libbropcore.a
	@mkdir -p $(@D)
	$(CC_CORE) -o $@ $^ -L$(PG_LIBDIR) -lpq $(CORE_LIBS)

build/unit/%.o: test/unit/%.c $(CORE_HDRS) $(wildcard test/unit/*.h)
	@mkdir -p $(@D)
	$(CC_CORE) $(CORE_CFLAGS) -Itest/unit -c -o $@ $<

build/test_unit: $(UNIT_SRCS:test/unit/%.c=build/unit/%.o) build/libbropcore.a
	$(CC_CORE) -o $@ $^ $(CORE_LIBS)

# the helper of scripts/softhsm.sh: key pairs made on a SoftHSM2 token, a
# signature by a token's key through the core (test/softhsm/softhsm_tool.c)
build/softhsm/%.o: test/softhsm/%.c $(CORE_HDRS) test/unit/softhsm.h
	@mkdir -p $(@D)
	$(CC_CORE) $(CORE_CFLAGS) -Itest/unit -c -o $@ $<

build/softhsm_tool: build/softhsm/softhsm_tool.o build/unit/softhsm.o build/libbropcore.a
	$(CC_CORE) -o $@ $^ $(CORE_LIBS)

all: bin/brop build/test_unit build/softhsm_tool build/core_symbols.ok build/layers.ok

# Arrows only point down: the core includes nothing of PostgreSQL, src/pg or
# src/cli; a module includes and calls only its own and lower modules
# (scripts/layers.sh). Checked at every build, on the sources and on the
# objects.
build/layers.ok: scripts/layers.sh $(CORE_SRCS) $(CORE_HDRS) $(PG_SRCS) $(PG_HDRS) $(CLI_SRCS) $(CLI_HDRS) \
		$(shlib) bin/brop
	@mkdir -p $(@D)
	@scripts/layers.sh --objects
	@touch $@

# The core also runs inside the backend, where the postgres binary's exported
# functions come first: a library function the core calls must not share a
# name with one of them (jansson's json_object() is postgres's SQL json_object
# there). Checked at every build.
POSTGRES_BIN := $(shell $(PG_CONFIG) --bindir)/postgres
build/core_symbols.ok: build/libbropcore.a
	@nm -u $< | awk '{print $$2}' | sort -u >$@.core
	@nm -D --defined-only $(POSTGRES_BIN) | awk '{print $$3}' | sort -u >$@.pg
	@clash=$$(comm -12 $@.core $@.pg); rm -f $@.core $@.pg; \
	 if [ -n "$$clash" ]; then echo "the core calls functions the postgres binary also defines: $$clash" >&2; exit 1; fi
	@touch $@

install: install-cli
install-cli: bin/brop
	$(INSTALL_PROGRAM) bin/brop '$(DESTDIR)$(bindir)/brop'
.PHONY: install-cli

# ---- the core under AddressSanitizer and UBSan ----------------------------
SAN_CC ?= clang
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -O1 -g -Isrc/core $(P11_CFLAGS) -Itest/unit $(WARN)

build/asan/core/%.o: src/core/%.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(SAN_CC) $(SAN_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

build/asan/unit/%.o: test/unit/%.c $(CORE_HDRS) $(wildcard test/unit/*.h)
	@mkdir -p $(@D)
	$(SAN_CC) $(SAN_CFLAGS) $(SAN_FLAGS) -DUNIT_LABEL='"asan"' -c -o $@ $<

build/asan/test_unit: $(CORE_SRCS:src/core/%.c=build/asan/core/%.o) $(UNIT_SRCS:test/unit/%.c=build/asan/unit/%.o)
	$(SAN_CC) $(SAN_FLAGS) -o $@ $^ $(CORE_LIBS)

# ---- fuzzing (libFuzzer) -------------------------------------------------
FUZZ_FLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZERS := $(FUZZ_SRCS:test/fuzz/%.c=build/fuzz/%)
FUZZ_SECONDS ?= 10

build/fuzz/core/%.o: src/core/%.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(SAN_CC) $(SAN_CFLAGS) $(FUZZ_FLAGS) -c -o $@ $<

build/fuzz/%: test/fuzz/%.c test/fuzz/fuzz.h $(CORE_SRCS:src/core/%.c=build/fuzz/core/%.o)
	@mkdir -p $(@D)
	$(SAN_CC) $(SAN_CFLAGS) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $(filter-out %.h,$^) $(CORE_LIBS)

# ---- the goals of README.md ---------------------------------------------
unit: build/test_unit
	build/test_unit

# the SoftHSM2 token's tests with the slow unwinder (scripts/test.sh says why)
sanitize: build/asan/test_unit
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build/asan/test_unit -pkcs11_token
	ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 UBSAN_OPTIONS=print_stacktrace=1 build/asan/test_unit pkcs11_token

fuzz: $(FUZZERS)
	FUZZ_RUNS=$(FUZZ_RUNS) scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZERS)

demo:
	scripts/demo.sh

test:
	scripts/test.sh

# the same on PostgreSQL 17 and 18, each in a Debian root (scripts/matrix.sh); PG=N: one version
test-matrix:
	BROP_MATRIX_PG="$(PG)" scripts/matrix.sh

# make bench on PostgreSQL 17 or 18 in its Debian root (PG=N; default both)
bench-matrix:
	BROP_MATRIX_PG="$(PG)" BROP_MATRIX_GOAL=bench scripts/matrix.sh

bench:
	scripts/bench.sh
	BROP_BENCH_BUILT=1 scripts/bench_consortium.sh

# the consortium's figures alone (sequencer and two members; part of make bench)
bench-consortium:
	scripts/bench_consortium.sh

# verify_ledger on every core against the machine's Ed25519 rate, alone (test/bench/verify_cores.sh)
bench-verify:
	test/bench/verify_cores.sh

# the pg_regress suite and the isolation specs against an installed, running
# server (PGHOST, PGPORT, PGUSER): docs/operations.md, "Testing against your server"
installcheck:
	PG_CONFIG=$(PG_CONFIG) scripts/installcheck.sh

.PHONY: unit sanitize fuzz demo test test-matrix bench bench-matrix bench-verify bench-consortium
.PHONY: installcheck

endif

# ward — least-privilege launcher.  See README.md.
#
#   make            build ./ward (and the test probe)
#   make demo       build and run the teaching demo
#   make check      build and run every test (unit, integration, fuzz replay,
#                   real Docker containers, both binaries' hardening,
#                   sanitizer build, valgrind)
#   make static     one static binary (build/ward-static) for images
#   make install    PREFIX=/usr/local DESTDIR= (as root, also ward reserve-id)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
SHAREDIR ?= $(PREFIX)/share/ward
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
# What ward links.  libarchive (the image audit) is loaded with dlopen only
# when an image is read (src/image/archive_dl.c): linked, it would cost every
# launch about 5 ms and 3 MiB (bench/README.md).  libseccomp likewise, only
# when a filter is built at run time (src/seccomp/libseccomp_dl.c): the
# built-in ones are compiled in.  Tests link both directly.
LAUNCH_PC := libcap-ng libmnl json-c
DEPS_PC := $(LAUNCH_PC) libseccomp libarchive
DEPS_DEB := libcap-ng-dev libseccomp-dev libmnl-dev libjson-c-dev libcmocka-dev pkg-config \
	busybox-static bubblewrap iproute2 valgrind procps python3 curl systemd \
	libarchive-dev nettle-dev skopeo libcap2-bin strace
BUILD ?= build

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wformat=2 \
	-Wformat-security -Wimplicit-function-declaration \
	-Wincompatible-pointer-types -Werror=unused-result -Wno-unused-parameter
HARDEN := -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE \
	-fstack-clash-protection -fcf-protection
OPT ?= -O2 -g
CFLAGS_BASE := -std=gnu11 $(OPT) $(WARNINGS) -Isrc -MMD -MP \
	-DWARD_SHAREDIR='"$(SHAREDIR)"'
PC_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(DEPS_PC) 2>/dev/null)
PC_LIBS = $(shell $(PKG_CONFIG) --libs $(DEPS_PC) 2>/dev/null)
LAUNCH_LIBS = $(shell $(PKG_CONFIG) --libs $(LAUNCH_PC) 2>/dev/null)
ARCHIVE_SONAME = $(shell objdump -p $$($(PKG_CONFIG) --variable=libdir libarchive 2>/dev/null)/libarchive.so 2>/dev/null | awk '/SONAME/ {print $$2}')
NETTLE_SONAME = $(shell objdump -p $$($(PKG_CONFIG) --variable=libdir nettle 2>/dev/null)/libnettle.so 2>/dev/null | awk '/SONAME/ {print $$2}')
ALL_CFLAGS = $(CFLAGS_BASE) $(HARDEN) $(PC_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now $(LDFLAGS)

# One folder per subsystem (README's Layout; tests/lib/check-layers.py
# holds the direction of their dependencies).
LAYERS := base kernel seccomp engine image plan launch report cmd
LIB_SRC := $(foreach d,$(LAYERS),$(wildcard src/$(d)/*.c))
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%-replay)

.PHONY: all deps demo check unit integration fuzz-replay sanitize install \
	uninstall clean bench static fuzz FORCE
all: deps $(BUILD)/ward $(BUILD)/probe ward

# The folders' dependency rules (tests/lib/check-layers.py; make check
# runs it).
.PHONY: layers
layers: deps
	@python3 tests/lib/check-layers.py src

# Install missing build dependencies on Debian (as root), or print the
# exact command to run.
deps:
	@./tests/lib/ensure-deps.sh $(DEPS_DEB)

# deps is order-only: on a fresh machine the -dev packages are installed
# before anything compiles, even with make -j.  Headers are tracked by
# the compiler's own .d files (-MMD -MP).
$(BUILD)/obj/%.o: src/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The profile search path is compiled in: rebuild when PREFIX changes.
$(BUILD)/.sharedir: FORCE | $(BUILD)
	@echo '$(SHAREDIR)' | cmp -s - $@ || echo '$(SHAREDIR)' > $@
$(BUILD)/obj/plan/profile_trust.o: $(BUILD)/.sharedir
FORCE:

# The archive is made anew from the current object list (and remade
# when that list changes): ar would otherwise keep the members of files
# that were moved or removed.
$(BUILD)/.objects: FORCE | $(BUILD)
	@echo '$(LIB_OBJ)' | cmp -s - $@ || echo '$(LIB_OBJ)' > $@

$(BUILD)/libward.a: $(LIB_OBJ) $(BUILD)/.objects
	rm -f $@ && ar rcs $@ $(LIB_OBJ)

# The built-in seccomp policies, compiled once here instead of at every
# launch (see src/tools/gen_seccomp.c).
$(BUILD)/gen-seccomp: src/tools/gen_seccomp.c $(BUILD)/libward.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(BUILD)/libward.a $(PC_LIBS) -o $@

$(BUILD)/gen/seccomp_builtin.c: $(BUILD)/gen-seccomp
	mkdir -p $(BUILD)/gen
	$(BUILD)/gen-seccomp > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/seccomp_builtin.o: $(BUILD)/gen/seccomp_builtin.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/obj/image/archive_dl.o: src/image/archive_dl.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(if $(ARCHIVE_SONAME),-DWARD_ARCHIVE_SONAME='"$(ARCHIVE_SONAME)"') -c $< -o $@

# nettle's sha256 (image digests), loaded the same way: libarchive
# depends on libnettle already.
$(BUILD)/obj/image/nettle_dl.o: src/image/nettle_dl.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(if $(NETTLE_SONAME),-DWARD_NETTLE_SONAME='"$(NETTLE_SONAME)"') -c $< -o $@

$(BUILD)/ward: src/main.c $(BUILD)/libward.a $(BUILD)/gen/seccomp_builtin.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) src/main.c \
		$(BUILD)/gen/seccomp_builtin.o $(BUILD)/libward.a $(LAUNCH_LIBS) -o $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

ward: $(BUILD)/ward
	ln -sf $(BUILD)/ward ward

# One static binary to COPY into images (see examples/).  Debian ships
# libmnl only as a shared library: the static build raises the loopback
# as the other does, with an ioctl (src/launch/net_lo.c), refuses --net
# veth at launch (src/static/net.c), and leaves out the image
# audit (libarchive), which has no place inside an image (the limits of
# --image-limit stay: the plan parses them).
# It is a static PIE (-static-pie: glibc's rcrt1.o relocates it before
# main), so it loads at a random address with full RELRO, as the dynamic
# build does; plain -static would load it at a fixed one.  Debian 12's
# libcap-ng.a, libseccomp.a, libjson-c.a and libc.a are built PIC (no
# absolute 32-bit relocations); a non-PIC archive would stop the link
# ("recompile with -fPIE"), never give a weaker binary.
# make hardening-check reads both binaries back.
STATIC_EXCLUDE := src/base/dl.c src/launch/net.c src/launch/net_veth.c $(wildcard src/launch/netlink*.c) \
	$(filter-out src/image/limits.c src/image/findings.c src/image/history.c src/image/store_path.c,\
	  $(wildcard src/image/*.c)) $(wildcard src/report/image_*.c)
STATIC_SRC := $(filter-out $(STATIC_EXCLUDE),$(LIB_SRC)) $(wildcard src/static/*.c)
STATIC_OBJ := $(STATIC_SRC:src/%.c=$(BUILD)/static-obj/%.o)
STATIC_LIBS := -l:libcap-ng.a -l:libseccomp.a -l:libjson-c.a

$(BUILD)/static-obj/%.o: src/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DWARD_STATIC -c $< -o $@

$(BUILD)/ward-static: src/main.c $(STATIC_OBJ) $(BUILD)/gen/seccomp_builtin.o
	$(CC) $(ALL_CFLAGS) -DWARD_STATIC -static-pie -Wl,-z,relro,-z,now src/main.c \
		$(STATIC_OBJ) $(BUILD)/gen/seccomp_builtin.o $(STATIC_LIBS) -o $@

static: deps $(BUILD)/ward-static
	@echo "$(BUILD)/ward-static: one static binary; COPY it into an image (see examples/)"

# The probe runs inside sandboxes and must not depend on the rootfs's libc.
$(BUILD)/probe: tests/probe/probe.c | $(BUILD)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -static $< -o $@

# Unit tests that read the precompiled built-in filters.
BLOB_TESTS := $(BUILD)/tests/test_seccomp_blob $(BUILD)/tests/test_seccomp_abi
$(BLOB_TESTS): $(BUILD)/tests/%: tests/unit/%.c \
		$(BUILD)/gen/seccomp_builtin.o $(BUILD)/libward.a | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(BUILD)/gen/seccomp_builtin.o \
		$(BUILD)/libward.a $(PC_LIBS) -lcmocka -o $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libward.a | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(BUILD)/libward.a $(PC_LIBS) \
		$(shell cat tests/unit/$*.wrap 2>/dev/null) -lcmocka -o $@

$(BUILD)/fuzz/%-replay: tests/fuzz/%.c $(BUILD)/libward.a | $(BUILD)/fuzz
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -DWARD_FUZZ_REPLAY $< \
		$(BUILD)/libward.a $(PC_LIBS) -o $@

$(BUILD) $(BUILD)/obj $(BUILD)/tests $(BUILD)/fuzz:
	mkdir -p $@

unit: all $(UNIT_BIN)
	@./tests/lib/run-unit.sh $(UNIT_BIN)

# Each fuzz target under libFuzzer for FUZZ_SECONDS (default 60) each.
.PHONY: fuzz
fuzz: deps
	@./tests/lib/run-fuzz.sh

# Each target until it has used FUZZ_CPU_SECONDS (default 3600) of CPU,
# counted across runs in build-fuzz/campaign.tsv; FUZZ_PARALLEL at once.
.PHONY: fuzz-campaign
fuzz-campaign: deps
	@./tests/lib/fuzz-campaign.sh

# Line and branch coverage (gcov) of each target's parser files, reached
# by the stored corpus and by a campaign's corpus.
.PHONY: fuzz-coverage
fuzz-coverage: deps
	@./tests/lib/fuzz-coverage.sh

fuzz-replay: all $(FUZZ_REPLAY)
	@./tests/lib/run-fuzz-replay.sh $(FUZZ_REPLAY)

integration: all
	@./tests/lib/run-integration.sh $(BUILD)/ward $(BUILD)/probe

# Real containers on a private Docker engine (installed if missing), with
# the static binary an image would COPY.
.PHONY: docker-check
docker-check: all $(BUILD)/ward-static
	@WARD_SUITE_BUDGET=600 ./tests/lib/run-integration.sh $(BUILD)/ward-static \
		$(BUILD)/probe tests/docker/*.sh

# Both binaries are position-independent with full RELRO (readelf).
.PHONY: hardening-check
hardening-check: all $(BUILD)/ward-static
	@WARD_STATIC=$(BUILD)/ward-static ./tests/lib/run-integration.sh \
		$(BUILD)/ward $(BUILD)/probe tests/hardening/*.sh

# The whole suite again with ASan+UBSan.
sanitize: deps
	$(MAKE) BUILD=build-san OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		HARDEN='-fstack-protector-strong -fPIE' unit fuzz-replay integration

# The unit tests again under valgrind's memcheck.  valgrind lacks seccomp(2)
# and openat2(2): the cases that need them skip and are listed.  Then real
# entrypoint-mode launches of one profile with ward under memcheck.
.PHONY: valgrind
valgrind: all $(UNIT_BIN)
	@./tests/lib/run-valgrind.sh $(UNIT_BIN)
	@./tests/lib/run-integration.sh $(BUILD)/ward $(BUILD)/probe tests/valgrind/*.sh

# As root, the suites run with the default user's host id reserved
# (ward reserve-id), and remove the reservation afterwards if they made it.
check: deps all
	@rm -f build/results.txt; mkdir -p build
	@python3 tests/lib/check-layers.py src
	./tests/lib/with-reserved-id.sh $(BUILD)/ward $(MAKE) check-suites
	@./tests/lib/total.sh build/results.txt

.PHONY: check-suites
check-suites:
	WARD_RESULTS=$(CURDIR)/build/results.txt $(MAKE) unit fuzz-replay integration docker-check \
		hardening-check
	WARD_RESULTS=$(CURDIR)/build/results.txt $(MAKE) sanitize
	WARD_RESULTS=$(CURDIR)/build/results.txt $(MAKE) valgrind

# A root launch without --user maps the sandbox user onto a host id that
# no account has, reserved once in /etc/subuid and /etc/subgid.  Rootless
# launches map onto the caller's own ids and need nothing.
.PHONY: reserve-id
reserve-id: all
	@if [ "$$(id -u)" = 0 ]; then $(BUILD)/ward reserve-id; fi

demo: all reserve-id
	./tests/demo/demo.sh $(BUILD)/ward

bench: all
	$(MAKE) -C bench

# With DESTDIR (a package), the package's install script runs
# `ward reserve-id` instead.
install: all
	install -D -m 0755 $(BUILD)/ward $(DESTDIR)$(BINDIR)/ward
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then $(BINDIR)/ward reserve-id; \
	elif [ -z "$(DESTDIR)" ]; then echo "as root, once: sudo $(BINDIR)/ward reserve-id (the default user's host id; ward(1))"; fi
	install -d $(DESTDIR)$(SHAREDIR)/profiles
	cp -R profiles/. $(DESTDIR)$(SHAREDIR)/profiles/
	for m in man/*.[1-8]; do \
		[ -e "$$m" ] || continue; \
		s=$${m##*.}; install -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; \
	done
	install -D -m 0644 completion/ward.bash $(DESTDIR)$(COMPLETIONDIR)/ward

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ward
	rm -rf $(DESTDIR)$(SHAREDIR)
	rm -f $(DESTDIR)$(MANDIR)/man1/ward.1 $(DESTDIR)$(MANDIR)/man1/ward-image.1 \
		$(DESTDIR)$(MANDIR)/man5/ward-profile.5
	rm -f $(DESTDIR)$(COMPLETIONDIR)/ward

clean:
	rm -rf build build-san build-fuzz build-fuzz.log build-cov build-cov.log ward

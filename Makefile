# SPDX-License-Identifier: GPL-2.0
#
# gre-keepalive: Cisco-style keepalive for Linux GRE tunnels.
#
#   make              build gre_keepalive.ko against KDIR
#   make demo         two routers, the path dies, the line protocol follows
#   make check        every test, on the debug and the stock kernel
#   make bench        benchmarks (figures, not pass/fail)
#   make bench-failover  only its failover section (keepalive vs BFD)
#   make deb          gre-keepalive and gre-keepalive-dkms Debian packages

KDIR ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then \
		echo /lib/modules/$$(uname -r)/build; \
	else \
		ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
			grep -v -- -common | sort -V | tail -1; \
	fi)

PWD := $(shell pwd)
PREFIX ?= /usr/local
DESTDIR ?=

all: module tool

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: apt-get install linux-headers-amd64, or make KDIR=..." >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(PWD) modules

tool:
	$(MAKE) -C tool

# The module goes to /lib/modules/<version>/extra under DESTDIR; the tool
# and its man page under PREFIX.
install: module tool
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_PATH=$(DESTDIR) CONFIG_MODULE_SIG_ALL= modules_install
	$(MAKE) -C tool install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null || true
	$(MAKE) -C tool clean
	$(MAKE) -C tests/tools clean

deps:
	scripts/install-deps.sh

check:
	scripts/check.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

# Only the failover section of make bench (keepalive vs BFD, ~15 min).
bench-failover:
	scripts/bench.sh failover

deb:
	scripts/build-deb.sh

.PHONY: all module tool install clean deps check demo bench bench-failover deb

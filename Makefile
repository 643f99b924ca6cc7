# SPDX-License-Identifier: GPL-2.0
#
# gre-keepalive: Cisco-style keepalive for Linux GRE tunnels.
#
#   make              build gre_keepalive.ko against KDIR
#   make demo         two routers, the path dies, the line protocol follows
#   make check        every test, on the debug and the stock kernel
#   make bench        benchmarks (figures, not pass/fail)

KDIR ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then \
		echo /lib/modules/$$(uname -r)/build; \
	else \
		ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
			grep -v -- -common | sort -V | tail -1; \
	fi)

PWD := $(shell pwd)

all: module

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: apt-get install linux-headers-amd64, or make KDIR=..." >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(PWD) modules

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null || true
	rm -rf build

deps:
	scripts/install-deps.sh

check:
	scripts/check.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

.PHONY: all module clean deps check demo bench

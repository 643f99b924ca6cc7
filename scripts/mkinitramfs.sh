#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the test guest's initramfs: busybox, iproute2, nft, kmod and
# util-linux with their shared libraries, kernel modules, and the test tree;
# python3 and the kernel's YNL client (t-45).
#   mkinitramfs.sh OUT RELEASE [--stock-root DIR | --kernel-tree DIR]
#                  [--ko FILE]... [--mod-tree DIR]... [--bin FILE]...
#                  [--file SRC DEST]...
# --ko puts a module in /lib/modules/RELEASE/extra; --mod-tree DIR copies
# every module under DIR (a lib/modules/RELEASE tree, e.g. one DKMS
# installed into) to the same relative path, e.g. updates/dkms/; --file
# copies one file to DEST in the guest.
set -euo pipefail
. "$(dirname "$0")/common.sh"

out=$1 release=$2
shift 2
stock_root= kernel_tree= kos=() bins=() mod_trees=() files=()
while [ $# -gt 0 ]; do
	case "$1" in
	--stock-root) stock_root=$2; shift 2 ;;
	--kernel-tree) kernel_tree=$2; shift 2 ;;
	--ko) kos+=("$2"); shift 2 ;;
	--bin) bins+=("$2"); shift 2 ;;
	--mod-tree) mod_trees+=("$2"); shift 2 ;;
	--file) files+=("$2" "$3"); shift 3 ;;
	*) die "mkinitramfs: unknown argument $1" ;;
	esac
done

root=$(mktemp -d)
# mktemp makes it 0700, and it becomes the guest's /: unprivileged tests
# need to traverse it.
chmod 0755 "$root"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,run,tmp,etc,root,var}
ln -s /run "$root/var/run"

# Copy a file and every shared library it needs, at their own paths.
add_with_libs() {
	local f lib
	f=$(readlink -f "$1")
	install -D -m 0755 "$f" "$root${2:-$1}"
	# A static binary has no libraries, and ldd says so on stderr.
	{ ldd "$f" 2>/dev/null || true; } | { grep -o '/[^ ]*' || true; } |
		while read -r lib; do
			[ -e "$root$lib" ] ||
				install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
		done
}

install -m 0755 /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

# Real tools under their own names; busybox's applets of the same name
# are shadowed in the tests by functions that call these paths.
add_with_libs /usr/bin/ip /usr/bin/ip
add_with_libs /usr/sbin/tc /usr/sbin/tc
add_with_libs /usr/sbin/genl /usr/sbin/genl
add_with_libs /usr/sbin/nft /usr/sbin/nft
add_with_libs /usr/bin/kmod /usr/bin/kmod
for t in insmod rmmod modprobe depmod lsmod modinfo; do
	ln -sf /usr/bin/kmod "$root/usr/sbin/$t"
done
for t in setpriv unshare nsenter; do
	add_with_libs "$(command -v $t)" "/usr/bin/$t"
done
for b in "${bins[@]}"; do
	add_with_libs "$b" "/usr/bin/$(basename "$b")"
done
install -D -m 0755 "$(readlink -f /lib64/ld-linux-x86-64.so.2)" \
	"$root/lib64/ld-linux-x86-64.so.2"
# Protocol and service names: nft's "meta l4proto gre", ip xfrm's
# "proto gre" resolve them there.
for f in /etc/protocols /etc/services; do
	if [ -e "$f" ]; then install -m 0644 "$f" "$root$f"; fi
done
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "nobody:x:65534:65534:nobody:/:/bin/sh" >> "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"

moddir="$root/lib/modules/$release"
mkdir -p "$moddir/extra"
# What the tests use from the stock tree, with dependencies: the devices
# and qdiscs, nftables, IPsec (ESP, ip xfrm) and the crypto ESP asks for
# by algorithm name: rfc4106(gcm(aes)) (gcm, ctr, ghash, seqiv) and
# authenc(hmac(sha256),cbc(aes)) (authenc, echainiv), with the x86
# versions, and the default RNG that seqiv and echainiv draw their IVs
# from (drbg, seeded by jitterentropy, its HMAC on sha512): without it
# every "ip xfrm state add" with a real cipher fails ("Kernel was unable
# to initialize cryptographic operations"). The kernel loads them by
# alias (crypto-gcm, crypto-stdrng, ...), which depmod writes. nft's counter
# is a module of its own on 5.10 (nft_counter), in nf_tables later. The
# router root (a read-only ext4 disk under per-router overlays) needs
# virtio's PCI transport and block driver, ext4 with the crc32c its
# checksums ask for by name, and overlay. A module built in, or absent
# from this kernel, is skipped.
stock_modules=(
	veth dummy ip_gre ip6_gre sch_netem vrf sch_fq
	nf_tables nfnetlink_hook nft_counter
	esp4 esp6 xfrm_user xfrm_algo
	gcm ctr ghash_generic ghash_clmulni_intel seqiv echainiv authenc
	aes_generic aesni_intel cryptd crypto_simd sha256_generic sha256_ssse3
	cbc hmac drbg jitterentropy_rng sha512_generic sha512_ssse3
	virtio_pci virtio_blk ext4 crc32c_generic crc32c_intel overlay
)
if [ -n "$stock_root" ]; then
	for m in "${stock_modules[@]}"; do
		if ! deps=$(modprobe -d "$stock_root" -S "$release" \
			--show-depends "$m" 2>/dev/null); then
			log "mkinitramfs: no module $m in $release, skipped"
			continue
		fi
		awk '$1 == "insmod" { print $2 }' <<< "$deps"
	done | sort -u | while read -r ko; do
		rel=${ko#"$stock_root"}
		install -D -m 0644 "$ko" "$root$rel"
	done
	cp "$stock_root/lib/modules/$release"/modules.{order,builtin,builtin.modinfo} \
		"$moddir/" 2>/dev/null || true
fi
if [ -n "$kernel_tree" ]; then
	# Everything is built in; modprobe needs to know that.
	cp "$kernel_tree"/modules.{builtin,builtin.modinfo} "$moddir/"
fi
for ko in "${kos[@]}"; do
	install -m 0644 "$ko" "$moddir/extra/"
done
for tree in "${mod_trees[@]}"; do
	[ -d "$tree" ] || die "mkinitramfs: no module tree $tree"
	found=$(cd "$tree" && find . -name '*.ko' -o -name '*.ko.[gx]z' -o -name '*.ko.zst')
	[ -n "$found" ] || die "mkinitramfs: no module under $tree"
	for ko in $found; do
		install -D -m 0644 "$tree/$ko" "$moddir/${ko#./}"
	done
done
i=0
while [ $i -lt ${#files[@]} ]; do
	install -D -m 0644 "${files[$i]}" "$root${files[$((i + 1))]}"
	i=$((i + 2))
done
depmod -b "$root" "$release"

cp -a "$REPO_ROOT/tests/guest/init" "$root/init"
chmod 0755 "$root/init"
mkdir -p "$root/tests"
cp -a "$REPO_ROOT/tests/integration" "$root/tests/"
# What the package ships, for the tests that run it as shipped.
mkdir -p "$root/tests/packaging"
cp "$REPO_ROOT/packaging/gre-keepalive.service" \
	"$REPO_ROOT/packaging/gre-keepalive.conf" "$root/tests/packaging/"

# The kernel's YNL client (cli.py and its lib/, from scripts/ynl.sh) in
# /ynl with the family's spec, for t-45; and python3 with only what cli.py
# imports, all at its start (--help adds argparse's formatter's): the
# files these imports load here. PyYAML without its libyaml binding, which
# it can do without. Sources only: the guest compiles them, once per boot,
# which costs less than the space bytecode would take. cli.py runs with
# --no-schema: no jsonschema.
ynl=$("$REPO_ROOT/scripts/ynl.sh")
mkdir -p "$root/ynl/lib"
install -m 0644 "$ynl/tools/net/ynl/cli.py" "$root/ynl/"
install -m 0644 "$ynl"/tools/net/ynl/lib/*.py "$root/ynl/lib/"
install -m 0644 "$REPO_ROOT/Documentation/netlink/specs/gre_keepalive.yaml" "$root/ynl/"
add_with_libs /usr/bin/python3 /usr/bin/python3
(cd "$root/ynl" && env -i /usr/bin/python3 -B -c '
import os, sys
out, sys.stdout = sys.stdout, open(os.devnull, "w")
sys.argv = ["cli.py", "--spec", "gre_keepalive.yaml", "--no-schema", "--help"]
try:
	exec(compile(open("cli.py").read(), "cli.py", "exec"), {"__name__": "__main__"})
except SystemExit:
	pass
for m in list(sys.modules.values()):
	f = getattr(m, "__file__", None) or ""
	if f.startswith("/usr/lib/python3"):
		print(f, file=out)
') | while read -r f; do
	case $f in
	*/dist-packages/*.so) ;;
	*.so) add_with_libs "$f" "$f" ;;
	*) install -D -m 0644 "$(readlink -f "$f")" "$root$f" ;;
	esac
done

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$out"

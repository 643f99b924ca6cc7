#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gka-cost: 35 14
# IPsec policy holds for replies. GRE between A and B is protected by ESP
# in transport mode, both ways, and A requires it of what B sends. Real
# replies come back under ESP and count. Once B falls silent, clear-text
# replies forged with B's address, injected every interval from the WAN,
# must not hold A's line protocol up: the stack would refuse them by
# policy, and so do we.
. /tests/integration/lib.sh

KEY_AB=0x0102030405060708090a0b0c0d0e0f1011121314
KEY_BA=0x1112131415161718191a1b1c1d1e1f2021222324

# sa NS SRC DST SPI KEY
sa() {
	ip -n "$1" xfrm state add src "$2" dst "$3" proto esp spi "$4" \
		mode transport aead 'rfc4106(gcm(aes))' "$5" 128
}

# policy NS SRC DST DIR
policy() {
	ip -n "$1" xfrm policy add src "$2/32" dst "$3/32" proto gre dir "$4" \
		tmpl src "$2" dst "$3" proto esp mode transport
}

topology
tunnels
modprobe gre_keepalive || fatal "modprobe gre_keepalive"
for n in a b; do
	sa $n $A_WAN $B_WAN 0x1001 $KEY_AB || fatal "SA A->B in $n"
	sa $n $B_WAN $A_WAN 0x1002 $KEY_BA || fatal "SA B->A in $n"
done
policy a $A_WAN $B_WAN out || fatal "A out policy"
policy a $B_WAN $A_WAN in || fatal "A in policy"
policy b $B_WAN $A_WAN out || fatal "B out policy"
policy b $A_WAN $B_WAN in || fatal "B in policy"
check "traffic through the protected tunnel" ping_ok a $B_IN

check "keepalive 200 ms / 3 on A" keepalive a gre1 200 3
check "replies under ESP count" wait_for 5000 ka_at_least a gre1 replies 5
check_eq "A's line is up" 1 "$(carrier a gre1)"

# B falls silent; forged clear-text replies arrive every interval.
check "B stops answering" ka_set b gre1 reflect 0
in_ns w gka-wire reply $B_WAN $A_WAN count 40 every 200 &
forger=$!
check "A goes down despite the forgeries" watch_down a gre1 3 6000
ka_read a gre1 replies && n=$KA
check "and stays down while they arrive" \
	never_within 1500 carrier_is a gre1 1
check_eq "none of them counted" "$n" "$(ka a gre1 replies)"
wait $forger
check_eq "the forger sent them all" 0 $?

# B answers again: the line comes back.
check "B answers again" ka_set b gre1 reflect 1
check "A comes back on the first real reply" wait_for 3000 carrier_is a gre1 1
finish

package dev.hardway.model;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;

import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Disjoint subnets, each with the index of the worker that holds it, ordered by address: finding an overlap or
 * the lowest free block is a logarithmic look-up, so allocating a thousand workers' subnets stays linear.
 */
final class SubnetSet {
    private record Held(BigInteger upper, int owner, IPAddress subnet) {
    }

    private final TreeMap<BigInteger, Held> byLower = new TreeMap<>();
    /**
     * Where {@link #lowestFree} starts looking: everything below it was held when it was found, and subnets are
     * only ever added, so it stays held. Allocating N subnets thus walks the range once, not N times.
     */
    private BigInteger searchFrom;

    /** The worker holding a subnet that overlaps {@code subnet}, if any. */
    Optional<Integer> overlapping(IPAddress subnet) {
        return holder(subnet.getValue(), subnet.getUpperValue()).map(Held::owner);
    }

    private Optional<Held> holder(BigInteger lower, BigInteger upper) {
        // the subnets are disjoint: only the one starting last at or below `upper` can reach up to `lower`
        Map.Entry<BigInteger, Held> floor = byLower.floorEntry(upper);
        return floor != null && floor.getValue().upper().compareTo(lower) >= 0 ? Optional.of(floor.getValue())
                : Optional.empty();
    }

    /** Every subnet held, lowest first, with its owner. */
    void forEach(java.util.function.ObjIntConsumer<IPAddress> action) {
        byLower.values().forEach(h -> action.accept(h.subnet(), h.owner()));
    }

    /** Adds a subnet that overlaps none held. */
    void add(IPAddress subnet, int owner) {
        byLower.put(subnet.getValue(), new Held(subnet.getUpperValue(), owner, subnet));
    }

    /**
     * The lowest /{@code prefixLength} block of {@code range} that overlaps nothing held. Calls must keep one
     * range and prefix length (an allocator's), which the search position relies on.
     */
    Optional<IPAddress> lowestFree(IPAddress range, int prefixLength) {
        int bits = range.getBitCount();
        BigInteger size = BigInteger.ONE.shiftLeft(bits - prefixLength);
        BigInteger candidate = searchFrom != null && searchFrom.compareTo(range.getValue()) > 0 ? searchFrom
                : range.getValue();
        BigInteger last = range.getUpperValue();
        while (candidate.add(size).subtract(BigInteger.ONE).compareTo(last) <= 0) {
            BigInteger upper = candidate.add(size).subtract(BigInteger.ONE);
            Optional<Held> blocking = holder(candidate, upper);
            if (blocking.isEmpty()) {
                searchFrom = candidate;
                return Optional.of(block(range, candidate, prefixLength));
            }
            // skip past the blocking subnet, to the next aligned block
            BigInteger next = blocking.get().upper().add(BigInteger.ONE);
            BigInteger remainder = next.mod(size);
            candidate = remainder.signum() == 0 ? next : next.add(size.subtract(remainder));
        }
        return Optional.empty();
    }

    private static IPAddress block(IPAddress range, BigInteger lower, int prefixLength) {
        IPAddress address = range.isIPv4() ? new IPv4Address(lower.intValue(), prefixLength)
                : new IPv6Address(lower, prefixLength);
        return address.toPrefixBlock();
    }
}

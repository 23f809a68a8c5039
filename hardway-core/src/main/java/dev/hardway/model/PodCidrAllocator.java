package dev.hardway.model;

import inet.ipaddr.IPAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gives every worker without a {@code podCidr} the lowest free subnet of {@code clusterCidr}.
 *
 * <p>Workers are taken in the order the spec lists them and each one only avoids the subnets of the workers
 * before it, so appending a worker never moves an existing worker's subnet. An explicit subnet of a later
 * worker that collides with an earlier allocation is an error for the later worker, never a move for the
 * earlier one.
 */
final class PodCidrAllocator {
    private final IPAddress clusterCidr;
    private final int prefixLength;

    PodCidrAllocator(IPAddress clusterCidr, int prefixLength) {
        this.clusterCidr = clusterCidr.toPrefixBlock();
        this.prefixLength = prefixLength;
    }

    /**
     * @param requested per worker, its explicit subnet, or {@code null} to allocate one
     * @return per worker, its subnet; empty where the cluster range is exhausted
     */
    List<Optional<IPAddress>> allocate(List<IPAddress> requested) {
        SubnetSet taken = new SubnetSet();
        List<Optional<IPAddress>> result = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            IPAddress wanted = requested.get(i);
            if (wanted != null) {
                // a colliding explicit subnet is the validator's to report; it takes no room from later workers
                if (taken.overlapping(wanted).isEmpty()) {
                    taken.add(wanted, i);
                }
                result.add(Optional.of(wanted));
                continue;
            }
            Optional<IPAddress> free = taken.lowestFree(clusterCidr, prefixLength);
            int owner = i;
            free.ifPresent(f -> taken.add(f, owner));
            result.add(free);
        }
        return result;
    }
}

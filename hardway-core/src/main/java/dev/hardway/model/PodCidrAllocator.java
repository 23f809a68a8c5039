package dev.hardway.model;

import inet.ipaddr.IPAddress;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives every worker its pod subnet: the one it was given before, else its explicit {@code podCidr}, else the
 * lowest free subnet of {@code clusterCidr}.
 *
 * <p>Subnets never move once assigned. A worker without an explicit {@code podCidr} keeps the subnet recorded for
 * it (see {@link ClusterHistory}) whatever its place in the list, so removing a worker from the middle moves no
 * one; a worker whose explicit {@code podCidr} changes gets the new one. Recorded subnets are placed first; then,
 * in list order, each other worker takes its explicit subnet or the lowest one free of everything placed before
 * it. An explicit subnet that overlaps one placed before it is a {@link Conflict} for that worker, never a move
 * for the other.
 *
 * <p>A subnet of a removed worker is not handed out again while a never-used one is left: the removed host may
 * still be running with pods in it until its operator shuts it down, and a new node routed to the same subnet
 * would clash with it. Only when the range is otherwise exhausted is the lowest released subnet reused. (Node
 * IPAM in kube-controller-manager frees a subnet as soon as the Node object is deleted; hardway cannot see when
 * the host itself is gone.)
 *
 * <p>Without any history this is allocation in list order, as hardway did before it recorded subnets, so such a
 * cluster keeps its subnets on its first run with a record.
 */
final class PodCidrAllocator {
    private final IPAddress clusterCidr;
    private final int prefixLength;

    PodCidrAllocator(IPAddress clusterCidr, int prefixLength) {
        this.clusterCidr = clusterCidr.toPrefixBlock();
        this.prefixLength = prefixLength;
    }

    /** How a worker got its subnet. */
    enum Source { KEPT, EXPLICIT, NEW }

    /**
     * An explicit subnet of {@code worker} that overlaps the one {@code holder} already holds.
     *
     * @param how how the holder got its subnet: recorded at an earlier generation, explicit, or allocated now
     */
    record Conflict(int worker, int holder, Source how) {
    }

    /**
     * Per worker its subnet (empty where the range is exhausted) and how it got it; and the conflicts found.
     */
    record Allocation(List<Optional<IPAddress>> subnets, List<Source> sources, List<Conflict> conflicts) {
    }

    /**
     * @param names     per worker, its name ({@code null} where it has none)
     * @param requested per worker, its explicit subnet, or {@code null} to allocate one
     * @param kept      subnets recorded for workers by name; only those inside the range and of the allocated
     *                  size are kept (a changed {@code clusterCidr} or prefix length allocates afresh)
     * @param released  subnets of workers that have left, reused only when no other is free
     */
    Allocation allocate(List<String> names, List<IPAddress> requested, Map<String, IPAddress> kept,
                        Collection<IPAddress> released) {
        int n = requested.size();
        List<Optional<IPAddress>> subnets = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            subnets.add(Optional.empty());
            sources.add(Source.NEW);
        }
        List<Conflict> conflicts = new ArrayList<>();
        SubnetSet taken = new SubnetSet();
        boolean[] placed = new boolean[n];
        for (int i = 0; i < n; i++) {
            IPAddress mine = names.get(i) == null ? null : kept.get(names.get(i));
            IPAddress wanted = requested.get(i);
            if (mine != null && (wanted == null || wanted.equals(mine)) && fits(mine)
                    && taken.overlapping(mine).isEmpty()) {
                taken.add(mine, i);
                subnets.set(i, Optional.of(mine));
                sources.set(i, wanted == null ? Source.KEPT : Source.EXPLICIT);
                placed[i] = true;
            }
        }
        // released subnets still free are avoided, unless a worker asks for one explicitly
        SubnetSet avoiding = new SubnetSet();
        taken.forEach(avoiding::add);
        for (IPAddress r : released) {
            boolean claimed = requested.stream().anyMatch(w -> w != null && w.intersect(r) != null);
            if (fits(r) && !claimed && avoiding.overlapping(r).isEmpty()) {
                avoiding.add(r, -1);
            }
        }
        for (int i = 0; i < n; i++) {
            if (placed[i]) {
                continue;
            }
            IPAddress wanted = requested.get(i);
            if (wanted != null) {
                Optional<Integer> holder = taken.overlapping(wanted);
                if (holder.isPresent()) {
                    conflicts.add(new Conflict(i, holder.get(), sources.get(holder.get())));
                } else { // a colliding explicit subnet takes no room from later workers
                    taken.add(wanted, i);
                    avoiding.add(wanted, i);
                }
                subnets.set(i, Optional.of(wanted));
                sources.set(i, Source.EXPLICIT);
                continue;
            }
            Optional<IPAddress> free = avoiding.lowestFree(clusterCidr, prefixLength);
            if (free.isEmpty()) {
                free = taken.lowestFree(clusterCidr, prefixLength); // the range is exhausted: reuse a released one
            }
            int owner = i;
            free.ifPresent(f -> {
                taken.add(f, owner);
                avoiding.add(f, owner); // replaces the released entry it reuses: same start, same size
            });
            subnets.set(i, free);
        }
        return new Allocation(subnets, sources, conflicts);
    }

    private boolean fits(IPAddress subnet) {
        return subnet.getNetworkPrefixLength() != null && subnet.getNetworkPrefixLength() == prefixLength
                && clusterCidr.contains(subnet) && subnet.isIPv4() == clusterCidr.isIPv4();
    }
}

package dev.hardway.model;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.IncompatibleAddressException;
import inet.ipaddr.ipv4.IPv4Address;

import java.util.Optional;

/**
 * Parsing of the addresses and CIDR blocks a spec holds; the arithmetic itself is the IPAddress library's.
 *
 * <p>Only the canonical text form is an address here: dotted-quad IPv4 without leading zeros, and IPv6 in
 * RFC 5952 form. Tools disagree on the rest ({@code 010.0.0.1} is octal 8.0.0.1 to inet_aton and 10.0.0.1 to
 * others; {@code 10.1} and {@code 167772161} are inet_aton shorthands), and a spec must mean one thing to every
 * program that reads the files generated from it. Plain IPv4 text ({@link PlainIpv4}), nearly every address of a
 * large spec, is taken without the library's string parser; {@code AddressesTest} holds the two to the same result.
 */
final class Addresses {
    private static final IPAddressStringParameters PARSING = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowAll(false).allowMask(false)
            .toParams();

    private Addresses() {
    }

    /** A single address in canonical form, e.g. {@code 10.240.0.10}. */
    static Optional<IPAddress> ip(String text) {
        return parse(text).filter(a -> !a.isPrefixed() && text.equals(a.toCanonicalString()));
    }

    /** Any address a lenient reader would accept, to tell "not canonical" from "not an address" in messages. */
    static Optional<IPAddress> anyIp(String text) {
        return parse(text).filter(a -> !a.isPrefixed());
    }

    /**
     * A CIDR block whose address part is canonical, e.g. {@code 10.200.0.0/16}; host bits possibly set (the caller
     * decides whether that is OK).
     */
    static Optional<IPAddress> cidr(String text) {
        return parse(text).filter(a -> a.isPrefixed() && text.equals(
                a.getLower().withoutPrefixLength().toCanonicalString() + "/" + a.getNetworkPrefixLength()));
    }

    static Optional<IPAddress> anyCidr(String text) {
        return parse(text).filter(IPAddress::isPrefixed);
    }

    private static Optional<IPAddress> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        long plain = PlainIpv4.address(text);
        if (plain != PlainIpv4.NOT_PLAIN) {
            return Optional.of(new IPv4Address((int) plain));
        }
        long block = PlainIpv4.cidr(text);
        if (block != PlainIpv4.NOT_PLAIN) {
            return Optional.of(new IPv4Address((int) (block >>> 8), (int) (block & 0xff)));
        }
        if (PlainIpv4.overlongPrefix(text)) {
            return Optional.empty();
        }
        try {
            IPAddress a = new IPAddressString(text, PARSING).toAddress();
            if (a == null || (!a.isPrefixed() && a.isMultiple())) {
                return Optional.empty();
            }
            return Optional.of(a);
        } catch (AddressStringException | IncompatibleAddressException | IllegalArgumentException e) {
            // IncompatibleAddressException: a range the library parses but cannot represent, such as 10.240-
            return Optional.empty();
        }
    }

    static boolean hasHostBits(IPAddress cidr) {
        return !cidr.getLower().withoutPrefixLength().equals(cidr.toPrefixBlock().getLower().withoutPrefixLength());
    }

    /** Why {@code a} cannot be a node's address, or empty when it can. */
    static Optional<String> unusableForNode(IPAddress a) {
        if (a.isAnyLocal()) {
            return Optional.of("the unspecified address");
        }
        if (a.isLoopback()) {
            return Optional.of("a loopback address");
        }
        if (a.isMulticast()) {
            return Optional.of("a multicast address");
        }
        if (a.isLinkLocal()) {
            return Optional.of("a link-local address");
        }
        if (a.isIPv4() && a.toCanonicalString().equals("255.255.255.255")) {
            return Optional.of("the broadcast address");
        }
        return Optional.empty();
    }

    static String text(IPAddress address) {
        return address.toCanonicalString();
    }
}

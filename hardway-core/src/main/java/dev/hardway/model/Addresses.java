package dev.hardway.model;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import java.util.Optional;

/** Parsing of the addresses and CIDR blocks a spec holds; the arithmetic itself is the IPAddress library's. */
final class Addresses {
    private Addresses() {
    }

    /** A single address without a prefix length, e.g. {@code 10.240.0.10}. */
    static Optional<IPAddress> ip(String text) {
        if (text == null) {
            return Optional.empty();
        }
        IPAddressString s = new IPAddressString(text.trim());
        if (!s.isIPAddress() || s.isPrefixed()) {
            return Optional.empty();
        }
        try {
            IPAddress a = s.toAddress();
            return a.isMultiple() ? Optional.empty() : Optional.of(a);
        } catch (AddressStringException e) {
            return Optional.empty();
        }
    }

    /** A CIDR block, e.g. {@code 10.200.0.0/16}, host bits possibly set (the caller decides whether that is OK). */
    static Optional<IPAddress> cidr(String text) {
        if (text == null) {
            return Optional.empty();
        }
        IPAddressString s = new IPAddressString(text.trim());
        if (!s.isIPAddress() || !s.isPrefixed()) {
            return Optional.empty();
        }
        try {
            return Optional.of(s.toAddress());
        } catch (AddressStringException e) {
            return Optional.empty();
        }
    }

    /** The network a CIDR names, e.g. {@code 10.200.0.0/16} for {@code 10.200.3.7/16}. */
    static IPAddress block(IPAddress cidr) {
        return cidr.toPrefixBlock();
    }

    static boolean hasHostBits(IPAddress cidr) {
        return !cidr.getLower().withoutPrefixLength().equals(cidr.toPrefixBlock().getLower().withoutPrefixLength());
    }

    static String text(IPAddress address) {
        return address.toCanonicalString();
    }
}

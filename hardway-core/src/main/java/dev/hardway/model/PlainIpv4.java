package dev.hardway.model;

/**
 * IPv4 addresses and subnets written as hardway writes them, {@code 10.240.0.1} and {@code 10.200.0.0/24}: four
 * decimal octets without leading zeros, and a prefix length without one. Such text is already canonical, so a
 * reader may take it without the address library's general parser, which costs more than anything else per node
 * when a spec, a cluster state or a PKI holds thousands of addresses. Anything else is left to the library.
 */
public final class PlainIpv4 {
    /** Not written as hardway writes it: let the address library read it. */
    public static final long NOT_PLAIN = -1;

    private PlainIpv4() {
    }

    /** The address of {@code a.b.c.d} as an unsigned 32-bit value, or {@link #NOT_PLAIN}. */
    public static long address(String text) {
        return text != null && octets(text, 0) == text.length() ? value(text) : NOT_PLAIN;
    }

    /**
     * The address and prefix length of {@code a.b.c.d/n}, packed as {@code address << 8 | n}, or {@link #NOT_PLAIN}.
     * Host bits may be set.
     */
    public static long cidr(String text) {
        if (text == null) {
            return NOT_PLAIN;
        }
        int slash = octets(text, 0);
        int n = text.length();
        int digits = n - slash - 1;
        if (slash < 0 || slash >= n || text.charAt(slash) != '/' || digits < 1 || digits > 2
                || (digits == 2 && text.charAt(slash + 1) == '0')) {
            return NOT_PLAIN;
        }
        int prefix = 0;
        for (int i = slash + 1; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return NOT_PLAIN;
            }
            prefix = prefix * 10 + (c - '0');
        }
        return prefix > 32 ? NOT_PLAIN : value(text.substring(0, slash)) << 8 | prefix;
    }

    /**
     * Whether the text ends in a prefix length of more than three digits, which no address family has. Such text
     * must not reach the address library: IPAddress 5.5.1 reads the digits into an int without an overflow check,
     * so {@code /2147483648} throws ArrayIndexOutOfBoundsException and {@code /4294967312} reads as {@code /16}.
     */
    public static boolean overlongPrefix(String text) {
        int slash = text.lastIndexOf('/');
        if (slash < 0 || text.length() - slash - 1 <= 3) {
            return false;
        }
        for (int i = slash + 1; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether the packed {@link #cidr} has no host bits set. */
    public static boolean isBlock(long cidr) {
        int prefix = (int) (cidr & 0xff);
        long hostBits = prefix == 32 ? 0 : (1L << (32 - prefix)) - 1;
        return (cidr >>> 8 & hostBits) == 0;
    }

    /** Where four plain octets starting at {@code from} end, or -1. */
    private static int octets(String text, int from) {
        int i = from;
        int n = text.length();
        for (int octet = 0; octet < 4; octet++) {
            int start = i;
            int value = 0;
            while (i < n && i - start < 4 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + (text.charAt(i++) - '0');
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return -1;
            }
            if (octet < 3) {
                if (i >= n || text.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i;
    }

    private static long value(String plain) {
        long address = 0;
        int octet = 0;
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (c == '.') {
                address = address << 8 | octet;
                octet = 0;
            } else {
                octet = octet * 10 + (c - '0');
            }
        }
        return address << 8 | octet;
    }
}

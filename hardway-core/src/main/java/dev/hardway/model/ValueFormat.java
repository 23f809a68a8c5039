package dev.hardway.model;

/**
 * The shapes a string field of {@code cluster.yaml} takes. Each carries the JSON Schema pattern an editor can check
 * while the user types; the validator applies the exact rule (canonical addresses, overlaps, families), which a
 * regular expression can only approximate.
 */
public enum ValueFormat {
    TEXT("text without control characters", "^[^\\u0000-\\u001f\\u007f]*$"),
    DNS_LABEL("a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters",
            "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"),
    DNS_SUBDOMAIN("a DNS-1123 subdomain: dot-separated DNS-1123 labels, at most 253 characters",
            "^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$"),
    RELEASE("a release number major.minor.patch", "^v?[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}$"),
    HTTPS_URL("an https URL of a host and an optional port, nothing else",
            "^https://(\\[[0-9a-f:.]+\\]|[a-z0-9]([-a-z0-9.]*[a-z0-9])?)(:[0-9]{1,5})?$"),
    IP("an IPv4 address in dotted-quad form or an IPv6 address in RFC 5952 form",
            "^(" + Patterns.IPV4 + "|" + Patterns.IPV6 + ")$"),
    CIDR("a CIDR block, address in canonical form, no host bits set",
            "^(" + Patterns.IPV4 + "/([0-9]|[12][0-9]|3[0-2])|" + Patterns.IPV6
                    + "/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$"),
    SAN("a DNS name (optionally starting with '*.') or an IP address",
            "^(" + Patterns.IPV4 + "|" + Patterns.IPV6
                    + "|(?![0-9.]+$)(\\*\\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*)$"),
    ABSOLUTE_PATH("an absolute file path", "^/[^\\u0000-\\u001f\\u007f]*$"),
    KEY_ALGORITHM("RSA or ECDSA", "^(RSA|ECDSA)$"),
    PROXY_MODE("iptables, nftables (Kubernetes 1.33 and later) or ipvs", "^(iptables|nftables|ipvs)$"),
    TAINT_EFFECT("NoSchedule, PreferNoSchedule or NoExecute", "^(NoSchedule|PreferNoSchedule|NoExecute)$"),
    LABEL_KEY("a label key: an optional DNS subdomain prefix and '/', then a name of at most 63 letters, digits, "
            + "'-', '_' and '.', starting and ending with a letter or digit",
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}"
                    + "[A-Za-z0-9])?$"),
    LABEL_VALUE("a label value: empty, or at most 63 letters, digits, '-', '_' and '.', starting and ending with a "
            + "letter or digit", "^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$"),
    FLAG_NAME("a flag name without its dashes: lower-case letters, digits and '-'", "^[a-z0-9][-a-z0-9]*$"),
    FLAG_VALUE("one word without whitespace, quotes, '\\', '$' or '%'", "^[^\\s\"'\\\\$%]*$");

    private final String phrase;
    private final String pattern;

    ValueFormat(String phrase, String pattern) {
        this.phrase = phrase;
        this.pattern = pattern;
    }

    /** How the field reference describes the format. */
    public String phrase() {
        return phrase;
    }

    /** The ECMA-262 regular expression the JSON Schema gives editors. */
    public String pattern() {
        return pattern;
    }

    private static final class Patterns {
        static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
        static final String IPV4 = "(" + OCTET + "\\.){3}" + OCTET;
        // lower-case hex groups and '::'; the validator applies RFC 5952's shortest form exactly
        static final String IPV6 = "(?=[0-9a-f:.]*:)[0-9a-f]{0,4}(:[0-9a-f]{0,4}){1,7}";
    }
}

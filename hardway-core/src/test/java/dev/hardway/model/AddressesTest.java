package dev.hardway.model;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Plain IPv4 text, read without the address library's parser, must give what the parser gives. */
class AddressesTest {
    private static final IPAddressStringParameters PARSING = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowAll(false).allowMask(false).toParams();

    @Test
    void plainIpv4_readsAsTheLibraryReadsIt() {
        Random random = new Random(11);
        List<String> texts = new ArrayList<>(List.of("10.240.0.1", "0.0.0.0", "255.255.255.255", "127.0.0.1",
                "10.200.0.0/24", "10.200.0.1/24", "0.0.0.0/0", "1.2.3.4/0", "1.2.3.4/32", "224.0.0.1",
                "169.254.1.1", "10.192.0.0/12", "010.0.0.1", "10.0.0.1/08", "10.0.0.1/33", "10.1", "256.1.1.1",
                "1.2.3.4/", "1.2.3.4 ", "fd00::1", "fd00::/64", "10.0.0.0/255.0.0.0", "10.0.0.*", "1.2.3.4/-1"));
        for (int i = 0; i < 3000; i++) {
            long address = random.nextLong() & 0xffffffffL;
            String ip = (address >> 24) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "."
                    + (address & 255);
            int prefix = random.nextInt(33);
            long block = prefix == 0 ? 0 : address & (0xffffffffL << (32 - prefix)) & 0xffffffffL;
            String net = (block >> 24) + "." + (block >> 16 & 255) + "." + (block >> 8 & 255) + "." + (block & 255);
            texts.add(ip);
            texts.add(ip + "/" + prefix);
            texts.add(net + "/" + prefix);
        }
        List<String> others = List.of("10.0.0.0/8", "10.200.0.0/16", "10.200.1.7", "0.0.0.0/0", "192.168.0.0/24");
        for (String text : texts) {
            Optional<IPAddress> fast = Addresses.anyCidr(text).or(() -> Addresses.anyIp(text));
            Optional<IPAddress> library = library(text);
            assertEquals(library.isPresent(), fast.isPresent(), text);
            if (library.isEmpty()) {
                continue;
            }
            IPAddress f = fast.get();
            IPAddress l = library.get();
            assertEquals(l, f, text);
            assertEquals(l.isPrefixed(), f.isPrefixed(), text);
            assertEquals(l.isMultiple(), f.isMultiple(), text);
            assertEquals(l.getNetworkPrefixLength(), f.getNetworkPrefixLength(), text);
            assertEquals(l.toCanonicalString(), f.toCanonicalString(), text);
            assertEquals(l.toString(), f.toString(), text);
            assertEquals(l.getLower().withoutPrefixLength().toCanonicalString(),
                    f.getLower().withoutPrefixLength().toCanonicalString(), text);
            assertEquals(l.toPrefixBlock(), f.toPrefixBlock(), text);
            assertEquals(l.getCount(), f.getCount(), text);
            assertEquals(Addresses.hasHostBits(l), Addresses.hasHostBits(f), text);
            assertEquals(Addresses.unusableForNode(l), Addresses.unusableForNode(f), text);
            for (String other : others) {
                IPAddress o = new IPAddressString(other).getAddress();
                assertEquals(o.contains(l), o.contains(f), text + " in " + other);
                assertEquals(l.contains(o), f.contains(o), other + " in " + text);
                assertEquals(String.valueOf(l.intersect(o)), String.valueOf(f.intersect(o)), text + " & " + other);
            }
            if (PlainIpv4.address(text) != PlainIpv4.NOT_PLAIN || PlainIpv4.cidr(text) != PlainIpv4.NOT_PLAIN) {
                // plain text is canonical text
                assertEquals(true, l.isPrefixed() ? Addresses.cidr(text).isPresent()
                        : Addresses.ip(text).isPresent(), text);
            }
        }
    }

    @Test
    void textTheLibraryFailsOn_isNoAddress_andNoFailure() {
        // what fuzzed specs found: the library overflows on long prefixes, and throws on ranges it cannot represent
        for (String text : List.of("10.240-", "10.240-/24", "1.2-3.4-", "10.200.0.0/9999999999999999999916",
                "10.200.0.0/1699999999999999999999", "fd00::/99999999999999999999", "10.0.0.0/00000000000000000000008",
                "10.0.0.0/2147483648", "10.0.0.0/0016", "10.0.0.0/4294967312")) {
            assertEquals(Optional.empty(), Addresses.cidr(text), text);
            assertEquals(Optional.empty(), Addresses.anyCidr(text), text);
            assertEquals(Optional.empty(), Addresses.ip(text), text);
            assertEquals(Optional.empty(), Addresses.anyIp(text), text);
        }
        assertEquals(true, Addresses.cidr("fd00::/128").isPresent());
        assertEquals(true, Addresses.cidr("10.0.0.0/8").isPresent());
    }

    private static Optional<IPAddress> library(String text) {
        try {
            IPAddress a = new IPAddressString(text, PARSING).toAddress();
            return a == null || (!a.isPrefixed() && a.isMultiple()) ? Optional.empty() : Optional.of(a);
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}

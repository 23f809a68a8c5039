package dev.hardway.realtools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A certificate as the real {@code openssl x509} reads it: subject attributes and the extensions hardway sets, parsed
 * from {@code openssl x509 -noout -subject -ext ...} output (one subject attribute per line).
 *
 * @param subject    attribute short name (CN, O, ...) to its values, in certificate order
 * @param extensions extension name as openssl prints it ("X509v3 Subject Alternative Name") to its value lines
 */
record OpensslCertificate(Path file, Map<String, List<String>> subject, Map<String, String> extensions) {

    static OpensslCertificate read(Path certificate) {
        RealTools.Result out = RealTools.command("openssl", "x509", "-in", certificate.toString(), "-noout",
                "-subject", "-nameopt", "sep_multiline,sname,space_eq,utf8",
                "-ext", "subjectAltName,extendedKeyUsage,keyUsage,basicConstraints").runOk();
        return parse(certificate, out.stdout());
    }

    static OpensslCertificate parse(Path file, String text) {
        Map<String, List<String>> subject = new LinkedHashMap<>();
        Map<String, String> extensions = new LinkedHashMap<>();
        String section = null;
        for (String line : text.lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            if (!line.startsWith(" ")) {
                section = line.startsWith("subject=") ? "subject" : line.replaceFirst(":( critical)?\\s*$", "");
                continue;
            }
            String value = line.strip();
            if ("subject".equals(section)) {
                int eq = value.indexOf(" = ");
                subject.computeIfAbsent(value.substring(0, eq), k -> new ArrayList<>()).add(value.substring(eq + 3));
            } else if (section != null) {
                extensions.merge(section, value, (a, b) -> a + "\n" + b);
            }
        }
        return new OpensslCertificate(file, subject, extensions);
    }

    List<String> subject(String attribute) {
        return subject.getOrDefault(attribute, List.of());
    }

    /** The comma-separated entries of an extension, e.g. {@code DNS:worker-0}, {@code IP Address:10.240.0.20}. */
    List<String> extension(String name) {
        String value = extensions.get("X509v3 " + name);
        return value == null ? List.of() : Arrays.stream(value.split(",\\s*")).map(String::strip).toList();
    }
}

package dev.hardway.pki;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Whether this JVM compiles hot code with its optimising compiler (HotSpot's C2). The README suggests
 * {@code -XX:TieredStopAtLevel=1} (C1 only) for large ECDSA clusters, where C2's own compile work costs more than it
 * saves in a run of seconds; RSA key generation, whose modular arithmetic only C2 turns into intrinsics, is about
 * five times slower without it, so an RSA run in such a JVM is told.
 */
final class OptimizingCompiler {
    private OptimizingCompiler() {
    }

    /** False when the JVM is limited to C1 or to the interpreter; true when it cannot tell (another VM). */
    static boolean available() {
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return false;
        }
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotspot == null) {
                return true;
            }
            boolean tiered = Boolean.parseBoolean(hotspot.getVMOption("TieredCompilation").getValue());
            int stopAt = Integer.parseInt(hotspot.getVMOption("TieredStopAtLevel").getValue());
            return !tiered || stopAt >= 4;
        } catch (RuntimeException | LinkageError notHotSpot) {
            return true;
        }
    }

    /** The warning for {@code generated} new RSA keys made in a JVM without C2, if that is this JVM. */
    static Optional<String> rsaWarning(int generated) {
        if (generated == 0 || available()) {
            return Optional.empty();
        }
        return Optional.of(generated + " RSA key" + (generated == 1 ? " was" : "s were")
                + " generated in a JVM without its optimising compiler (-XX:TieredStopAtLevel=1 or -Xint, from "
                + ".mvn/jvm.config, MAVEN_OPTS or JAVA_TOOL_OPTIONS), where RSA key generation takes about five "
                + "times as long; that option suits ECDSA clusters only: remove it for this one");
    }
}

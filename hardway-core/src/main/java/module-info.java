/**
 * hardway: one cluster description becomes the PKI, configuration, systemd units and per-node bundles of a
 * Kubernetes cluster built the hard way.
 *
 * <p>{@code dev.hardway.api} holds the entry points ({@link dev.hardway.api.Hardway},
 * {@link dev.hardway.api.Golden}, {@link dev.hardway.api.CertificateCheck}) and their results;
 * {@code dev.hardway.model} the cluster description, its validation, the values results are made of and the
 * exceptions for each kind of mistake. Every other package is an implementation detail.
 */
module dev.hardway.core {
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.toml;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires freemarker;
    requires inet.ipaddr;
    requires io.github.javadiffutils;
    requires org.apache.commons.compress;
    requires org.apache.commons.text;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.util;
    requires org.yaml.snakeyaml;
    // only to tell whether the JVM runs C2 (see pki.OptimizingCompiler); a runtime without them is not refused
    requires static java.management;
    requires static jdk.management;

    exports dev.hardway.api;
    exports dev.hardway.model;

    // FreeMarker reads the values templates show through reflection.
    opens dev.hardway.artifacts to freemarker;
    opens dev.hardway.bundle to freemarker;
    opens dev.hardway.model to freemarker;
}

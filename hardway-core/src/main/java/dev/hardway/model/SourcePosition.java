package dev.hardway.model;

/** A 1-based line and column in {@code cluster.yaml}, as the YAML parser reported it. */
public record SourcePosition(int line, int column) {
}

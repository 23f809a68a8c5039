package dev.hardway.api;

import dev.hardway.model.GoldenFiles;

/**
 * What {@link Golden#generate} did.
 *
 * @param generation the bundles, PKI changes and warnings, as {@link Hardway#generate} reports them
 * @param golden     what changed in the golden directory
 */
public record GoldenUpdate(GenerationResult generation, GoldenFiles golden) implements GoldenRun {
}

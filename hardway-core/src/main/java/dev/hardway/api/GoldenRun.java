package dev.hardway.api;

/**
 * What {@link Golden#generateIfChanged} did: generated ({@link GoldenUpdate}), or found everything as the last run
 * left it ({@link UpToDate}).
 */
public sealed interface GoldenRun permits GoldenUpdate, UpToDate {
}

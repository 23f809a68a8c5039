package dev.hardway.golden;

import dev.hardway.HardwayException;

/** The golden directory cannot be used as it is; the message names the directory and what to do. */
public final class GoldenException extends HardwayException {
    public GoldenException(String message) {
        super(message);
    }
}

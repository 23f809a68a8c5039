package dev.hardway.state;

import dev.hardway.HardwayException;

/** The cluster state file cannot be read as it is; the message names the file, the line and what to do. */
public final class ClusterStateException extends HardwayException {
    public ClusterStateException(String message) {
        super(message);
    }
}

package dev.hardway.model;

/** What every host in the cluster has: a name and an address. */
public sealed interface NodeSpec permits ControllerSpec, WorkerSpec {
    String name();

    String internalIp();
}

package dev.hardway.controllers;

import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.ToolLookup;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.hardway.testing.ProcessRun.argv;

/**
 * A network namespace this test creates, holding the cluster's addresses on its loopback interface: servers
 * listen there and clients talk to them there, and nothing leaves the namespace. Closing it stops every process
 * started in it and deletes it.
 */
final class NetworkNamespace implements AutoCloseable {
    private static final Duration STEP = Duration.ofSeconds(20);

    private final String name;
    private final Path ip;
    private final List<Process> processes = new ArrayList<>();
    private Path hostsDirectory;
    private boolean createdNetnsDirectory;

    private NetworkNamespace(String name, Path ip) {
        this.name = name;
        this.ip = ip;
    }

    /** A new namespace with loopback up; {@code purpose} names it, with this JVM's pid to keep runs apart. */
    static NetworkNamespace create(String purpose) {
        Path ip = ToolLookup.tool("ip");
        String name = "hw-" + purpose + "-" + ProcessHandle.current().pid();
        NetworkNamespace ns = new NetworkNamespace(name, ip);
        ns.check(ProcessRun.run(STEP, argv(ip, "netns", "add", name)));
        try {
            ns.check(ProcessRun.run(STEP, ns.command(ip, "link", "set", "lo", "up")));
        } catch (RuntimeException | AssertionError e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    String name() {
        return name;
    }

    /** Puts each address on the namespace's loopback interface, as a host route (/32 or /128). */
    void addAddresses(List<String> addresses) {
        for (String address : addresses) {
            String prefix = address.contains(":") ? "/128" : "/32";
            check(ProcessRun.run(STEP, command(ip, "addr", "add", address + prefix, "dev", "lo")));
        }
    }

    /**
     * Names resolving inside the namespace only: {@code ip netns exec} bind-mounts {@code /etc/netns/<name>/hosts}
     * over {@code /etc/hosts} for the programs it starts.
     */
    void hosts(Map<String, String> nameToAddress) {
        try {
            hostsDirectory = Path.of("/etc/netns", name);
            createdNetnsDirectory = !Files.isDirectory(hostsDirectory.getParent());
            Files.createDirectories(hostsDirectory);
            StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n::1 localhost\n");
            nameToAddress.forEach((host, address) -> hosts.append(address).append(' ').append(host).append('\n'));
            Files.writeString(hostsDirectory.resolve("hosts"), hosts, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code ip -n <namespace> args}: configures this namespace's links and addresses. */
    void ip(Object... args) {
        check(ProcessRun.run(STEP, argv(ip, "-n", name, argv(args))));
    }

    /** The argv that runs {@code argv} inside the namespace. */
    List<String> command(Object... argv) {
        return argv(ip, "netns", "exec", name, argv(argv));
    }

    /** Runs a program to completion inside the namespace. */
    ProcessRun run(Duration limit, Object... argv) {
        return ProcessRun.run(limit, command(argv));
    }

    /**
     * Starts a long-running program inside the namespace, its output going to {@code log}. {@code ip netns exec}
     * execs the program in its own place, so the process is the server itself and stopping it stops the server.
     */
    Process start(Path log, Object... argv) {
        try {
            Process p = new ProcessBuilder(command(argv)).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + List.of(argv), e);
        }
    }

    private void check(ProcessRun c) {
        assertTrue(c.succeeded(), c::describe);
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        // anything still inside was started by this test (a child of a server): stop it before the namespace goes
        ProcessRun pids = ProcessRun.run(STEP, argv(ip, "netns", "pids", name));
        if (pids.succeeded()) {
            pids.output().lines().map(String::strip).filter(l -> l.matches("\\d+"))
                    .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
        }
        ProcessRun.run(STEP, argv(ip, "netns", "del", name));
        if (hostsDirectory != null) {
            try (Stream<Path> files = Files.walk(hostsDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // nothing else uses /etc/netns/<name>
            }
            if (createdNetnsDirectory) {
                hostsDirectory.getParent().toFile().delete();
            }
        }
    }
}

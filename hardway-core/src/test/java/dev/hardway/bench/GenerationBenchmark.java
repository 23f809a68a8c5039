package dev.hardway.bench;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedCluster;
import dev.hardway.model.ClusterSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How long rendering a cluster takes. {@code warm} is the everyday case (the PKI exists and is reused, so the
 * cost is templates, parse-back checks and tarballs); {@code cold} is a first run that generates every key.
 * Run with {@code scripts/benchmark.sh}; compare the two as a ratio, and workers=1 against workers=50.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GenerationBenchmark {

    @Param({"1", "50"})
    public int workers;

    private ClusterSpec spec;
    private Path warmPki;
    private Path scratch;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ClusterSpec.Builder b = ClusterSpec.builder().name("bench").kubernetesVersion("1.33.2")
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443"))
                .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")
                        .clusterDns("10.32.0.10").clusterDomain("cluster.local"))
                .controller(c -> c.name("controller-0").internalIp("10.240.0.10"));
        for (int i = 0; i < workers; i++) {
            int n = i;
            b.worker(w -> w.name("worker-" + n).internalIp("10.240.1." + (n + 1)));
        }
        spec = b.build();
        scratch = Files.createTempDirectory("hardway-bench");
        warmPki = scratch.resolve("warm-pki");
        Hardway.generate(request(warmPki).outputDirectory(scratch.resolve("out")).build());
    }

    private GenerationRequest.Builder request(Path pki) {
        return GenerationRequest.builder().spec(spec).pkiDirectory(pki);
    }

    @Benchmark
    public RenderedCluster warm() {
        return Hardway.render(request(warmPki).build());
    }

    @Benchmark
    public RenderedCluster cold() {
        // render never writes the PKI, so an empty directory stays empty: every run generates every key
        return Hardway.render(request(scratch.resolve("cold-pki")).build());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

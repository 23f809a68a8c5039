package dev.hardway.api;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.hardway.golden.GoldenDirectory;
import dev.hardway.golden.GoldenSnapshot;
import dev.hardway.io.FileTransaction;
import dev.hardway.model.GoldenFiles;

import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
import java.nio.file.Path;

/**
 * Golden-file review for infra repos: keep a committed {@link GoldenSnapshot} of every node's files current, and
 * check that it still matches the spec, so a pull request that edits {@code cluster.yaml} shows reviewers what
 * changes on each host and CI fails when the two disagree.
 *
 * <pre>{@code
 * GenerationRequest request = GenerationRequest.builder()
 *         .specFile(Path.of("cluster.yaml")).pkiDirectory(Path.of("pki")).build();
 * GoldenVerification check = Golden.verify(request, Path.of("golden"));
 * if (!check.matches()) {
 *     System.err.println(check.report());
 * }
 * }</pre>
 */
public final class Golden {
    /**
     * {@code .gitignore} patterns of what a run killed while it wrote the snapshot leaves in or beside the golden
     * directory until the next run finishes or removes it: the journal of its commit, a first snapshot's staging
     * directory. An infra repo ignores them so that a {@code git add -A} in between commits no half-written state.
     */
    public static final List<String> SCRATCH_PATTERNS = List.of(FileTransaction.JOURNAL + "/",
            ".*" + GoldenDirectory.STAGING_SUFFIX + "/");

    private Golden() {
    }

    /**
     * {@link Hardway#generate}, then the snapshot of what was generated written into {@code goldenDirectory}
     * (write-if-changed; files no longer generated are removed). The golden directory is checked first, so an
     * unusable one fails before anything is written. {@value GenerationReport#FILE_NAME} in the output directory,
     * committed with the bundles, says what the run changed per node compared with the snapshot before it. A run
     * that succeeds leaves the record {@link #generateIfChanged} reads; one that fails leaves none.
     */
    public static GoldenUpdate generate(GenerationRequest request, Path goldenDirectory) {
        request.requireOutputDirectory("Golden.generate");
        RunStamp stamp = new RunStamp(request, goldenDirectory);
        return stamp.applies() ? generateRecorded(stamp, stamp.inputs(), goldenDirectory)
                : generateUnrecorded(request, goldenDirectory, () -> {
                });
    }

    /** Generates from {@code inputs} as they were read: the record names those, not a later reading. */
    private static GoldenUpdate generateRecorded(RunStamp stamp, RunStamp.Inputs inputs, Path goldenDirectory) {
        // the record goes under the run's locks just before anything commits: a run that fails before (a bad spec,
        // a template error) leaves the record of the last good run as true as it was
        GoldenUpdate update = generateUnrecorded(stamp.request(), goldenDirectory, stamp::forget);
        stamp.record(inputs, update);
        return update;
    }

    private static GoldenUpdate generateUnrecorded(GenerationRequest request, Path goldenDirectory,
                                                   Runnable beforeCommit) {
        GoldenDirectory golden = new GoldenDirectory(goldenDirectory);
        golden.checkWritable();
        GoldenStaging staging = new GoldenStaging(golden);
        GenerationResult result;
        try {
            result = Hardway.generate(request, new Hardway.Alongside() {
                @Override
                public java.util.Set<String> describes() {
                    return java.util.Set.of(GenerationReport.FILE_NAME);
                }

                @Override
                public SortedMap<String, byte[]> describe(GenerationResult generated) {
                    SortedMap<String, String> snapshot = snapshot(generated.rendered());
                    // read under the run's locks, once: what this run replaces, for the report and the staging
                    SortedMap<String, String> before = golden.read();
                    // the snapshot's files are written beside or inside the golden directory, out of its sight,
                    // while the PKI and the bundles are written and synced; they take its place once those
                    // committed, under the same locks, so two runs of one project never mix their snapshots
                    staging.start(snapshot, before);
                    return new TreeMap<>(Map.of(GenerationReport.FILE_NAME, GenerationReport.json(generated, before)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                }

                @Override
                public void ready() {
                    staging.awaitStaged(); // a golden directory that cannot be written fails the run here, not after
                    beforeCommit.run();
                }

                @Override
                public void abort(RuntimeException cause) {
                    staging.abort(cause);
                }

                @Override
                public void commit(GenerationResult generated) {
                    new Phases(request.listener()).run("golden", staging.files(), () -> {
                        staging.commit();
                        return null;
                    });
                }
            });
        } catch (RuntimeException e) {
            staging.abort(e); // a failure before the locks were taken (under them, Hardway aborted it already)
            throw e;
        }
        return new GoldenUpdate(result, staging.committed());
    }

    /**
     * {@link #generate}, unless the last run left everything as it still is: when the spec, the templates, hardway
     * itself and the metadata of every file in the PKI, output and golden directories are those the last
     * successful {@link #generate} recorded, and no certificate has entered its renewal window since, it returns
     * {@link UpToDate} having read only file metadata and the spec, and written nothing. Anything else, including
     * a record it cannot read, generates. For a spec given as a {@code ClusterSpec} (no file to digest) it always
     * generates.
     */
    public static GoldenRun generateIfChanged(GenerationRequest request, Path goldenDirectory) {
        request.requireOutputDirectory("Golden.generateIfChanged");
        RunStamp stamp = new RunStamp(request, goldenDirectory);
        if (!stamp.applies()) {
            return generateUnrecorded(request, goldenDirectory, () -> {
            });
        }
        RunStamp.Inputs inputs = stamp.inputs();
        java.util.Optional<UpToDate> upToDate = stamp.current(inputs);
        return upToDate.isPresent() ? upToDate.get() : generateRecorded(stamp, inputs, goldenDirectory);
    }

    /** Writes the snapshot of an already rendered cluster into {@code goldenDirectory}. */
    public static GoldenFiles write(RenderedCluster rendered, Path goldenDirectory) {
        return new GoldenDirectory(goldenDirectory).write(snapshot(rendered));
    }

    /**
     * Renders in memory ({@link Hardway#render}: nothing is written, not even PKI files) and compares the result
     * with the snapshot committed in {@code goldenDirectory}. Private keys are optional: the comparison needs only
     * what the certificates say, so CI can verify from committed certificates while the keys stay secret.
     */
    public static GoldenVerification verify(GenerationRequest request, Path goldenDirectory) {
        RenderedCluster rendered = Hardway.render(request.withCertificatesOnly());
        return new GoldenVerification(new GoldenDirectory(goldenDirectory).compare(snapshot(rendered)),
                rendered.pkiChanges(), rendered.warnings());
    }

    /** The reviewable text form of {@code rendered}: path under the golden directory to text (no secret). */
    public static SortedMap<String, String> snapshot(RenderedCluster rendered) {
        // generate asks twice for one rendering's snapshot (the golden directory, then the report); a
        // RenderedCluster never changes, so the same one has the same snapshot. Weak and soft: nothing is kept
        // alive for it.
        Last last = LAST.get();
        SortedMap<String, String> known = last == null || last.rendered().get() != rendered ? null
                : last.snapshot().get();
        if (known != null) {
            return known;
        }
        SortedMap<String, String> snapshot = java.util.Collections.unmodifiableSortedMap(compute(rendered));
        LAST.set(new Last(new WeakReference<>(rendered), new SoftReference<>(snapshot)));
        return snapshot;
    }

    private record Last(WeakReference<RenderedCluster> rendered, SoftReference<SortedMap<String, String>> snapshot) {
    }

    private static final ThreadLocal<Last> LAST = new ThreadLocal<>();

    private static SortedMap<String, String> compute(RenderedCluster rendered) {
        byte[] admin = rendered.outputsForWriting().get(RenderedCluster.ADMIN_KUBECONFIG);
        return GoldenSnapshot.of(rendered.nodeBundles(), rendered.installScripts(), rendered.installManifests(),
                rendered.pkiFingerprints(),
                admin == null ? null : new String(admin, java.nio.charset.StandardCharsets.UTF_8));
    }
}

package dev.hardway.testing;

import dev.hardway.api.GenerationListener;
import dev.hardway.api.GenerationRequest;
import dev.hardway.api.GenerationResult;
import dev.hardway.api.Golden;
import dev.hardway.api.Hardway;
import dev.hardway.model.HardwayException;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code Hardway.generate} (or, given GOLDEN, {@code Golden.generate}) as its own process, for tests that must kill a run, race two runs, or run one on a
 * full or read-only disk: {@code GenerateMain SPEC PKI OUTPUT [GOLDEN]}. Exit 0 on success, 1 on a user mistake (message
 * on stderr), anything else on a defect.
 */
public final class GenerateMain {
    private GenerateMain() {
    }

    public static void main(String[] args) {
        try {
            GenerationRequest request = GenerationRequest.builder().specFile(Path.of(args[0]))
                    .pkiDirectory(Path.of(args[1])).outputDirectory(Path.of(args[2]))
                    .listener(new GenerationListener() {
                        @Override
                        public void phaseFinished(String phase, int items, Duration took) {
                            System.err.println(phase + ": " + items + " in " + took.toMillis() + " ms");
                        }
                    }).build();
            // with a golden directory, what hardway:generate does (report.json and the snapshot included)
            GenerationResult result = args.length > 3 ? Golden.generate(request, Path.of(args[3])).generation()
                    : Hardway.generate(request);
            result.warnings().forEach(w -> System.err.println("warning: " + w));
            System.out.println("written " + result.written().size() + ", unchanged " + result.unchanged().size());
        } catch (HardwayException e) {
            // the kind first, so that the fault tests can tell which mistake the user is told of
            System.err.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(1);
        }
    }
}

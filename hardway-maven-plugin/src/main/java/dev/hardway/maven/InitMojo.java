package dev.hardway.maven;

import dev.hardway.api.Golden;
import dev.hardway.model.StarterSpec;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes a commented starter {@code cluster.yaml} (one controller and two workers unless told otherwise) that
 * generates as it is, and a {@code .gitignore} that keeps the PKI directory and {@code target/} out of git. Never
 * overwrites an existing file. Runs without a pom, in an empty directory.
 */
@Mojo(name = "init", requiresProject = false, threadSafe = true)
public class InitMojo extends AbstractHardwayMojo {

    /** Where to write the starter spec; {@code cluster.yaml} next to the pom, or in the current directory. */
    @Parameter(property = "hardway.spec")
    File spec;

    /** Where {@code mvn} runs: the place for cluster.yaml when there is no pom yet. */
    @Parameter(defaultValue = "${session.executionRootDirectory}", readonly = true)
    File executionRoot;

    /**
     * The PKI directory the other goals will use, for the {@code .gitignore}; {@code pki} next to the pom, or in
     * the current directory.
     */
    @Parameter(property = "hardway.pkiDirectory")
    File pkiDirectory;

    /** How many control-plane hosts (etcd members) the starter lists: an odd number. */
    @Parameter(property = "hardway.controllers", defaultValue = "1", required = true)
    int controllers;

    /** How many worker hosts the starter lists; with 0 the controllers are the Nodes (one: a single-node cluster). */
    @Parameter(property = "hardway.workers", defaultValue = "2", required = true)
    int workers;

    /** {@code file} relative to the project, or to the current directory when there is no project. */
    private static String where(File home, Path file) {
        Path base = home == null ? null : home.toPath().toAbsolutePath().normalize();
        Path p = file.toAbsolutePath().normalize();
        return base != null && p.startsWith(base) ? base.relativize(p).toString() : p.toString();
    }

    @Override
    String goal() {
        return "init";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        File home = basedir != null ? basedir : executionRoot;
        Path file = spec != null ? spec.toPath() : home.toPath().resolve("cluster.yaml");
        if (Files.exists(file)) {
            throw new MojoFailureException("spec: " + where(home, file) + " already exists; hardway:init never "
                    + "overwrites a spec. Edit it, or move it away to start over");
        }
        String text;
        try {
            text = StarterSpec.text(controllers, workers);
        } catch (IllegalArgumentException e) {
            // no cause: Maven appends a cause's message that the message does not contain, and this one says it all
            throw new MojoFailureException(e.getMessage()
                    .replace("controllers: ", "controllers (hardway.controllers): ")
                    .replace("workers: ", "workers (hardway.workers): "));
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // CREATE_NEW: a file that appeared since the check above is still not overwritten
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new MojoFailureException("spec: " + where(home, file) + " already exists; hardway:init never "
                    + "overwrites a spec", e);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + file + ": " + e.getMessage(), e);
        }
        gitignore(home.toPath(), pkiDirectory != null ? pkiDirectory.toPath() : home.toPath().resolve("pki"));
        getLog().info("Wrote " + where(home, file) + ": " + controllers
                + (controllers == 1 ? " controller, " : " controllers, ") + workers + (workers == 1 ? " worker" : " workers") + ". Edit the names and addresses, then run "
                + GENERATE_COMMAND);
    }

    /**
     * Writes {@code home/.gitignore} unless there is one; warns when an existing one leaves the PKI directory out.
     * The PKI directory holds the CA's private keys and the secrets encryption key, and a fresh infra repo's first
     * {@code git add -A} would commit them.
     */
    private void gitignore(Path home, Path pki) throws MojoExecutionException {
        Path file = home.resolve(".gitignore");
        Path base = home.toAbsolutePath().normalize();
        Path p = pki.toAbsolutePath().normalize();
        // anchored, so a folder named pki deeper in the repository stays tracked
        String entry = p.startsWith(base) && !p.equals(base)
                ? "/" + base.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/") + "/" : null;
        if (Files.exists(file)) {
            if (entry == null) {
                return;
            }
            try {
                if (!keepsSecretsOut(Files.readAllLines(file, StandardCharsets.UTF_8), entry)) {
                    getLog().warn(where(home.toFile(), file) + " does not ignore the PKI directory " + entry
                            + ": add the line " + entry + " to it. It holds the CA's private keys and the secrets "
                            + "encryption key, which git add -A would commit (back it up; to keep it in git, "
                            + "encrypt it: sops, git-crypt)");
                }
            } catch (IOException e) {
                getLog().warn("cannot read " + file + " to check that it ignores " + entry + ": " + e.getMessage());
            }
            return;
        }
        if (entry == null) {
            getLog().warn("The PKI directory " + p + " lies outside " + base + ", so the .gitignore written there "
                    + "cannot ignore it; keep it out of git (it holds the CA's private keys)");
        }
        String text = "# Written by hardway:init.\n"
                + (entry == null ? "" : "# The PKI directory: the CA's private keys and the secrets encryption key. "
                        + "Never commit it in the clear;\n# back it up (to keep it in git, encrypt it: sops, "
                        + "git-crypt).\n" + entry + "\n")
                + "# Build output: the node bundles and admin.kubeconfig, written again by " + GENERATE_COMMAND
                + ".\n/target/\n"
                + "# What a run killed while it wrote golden/ leaves there until the next run finishes it.\n"
                + String.join("\n", Golden.SCRATCH_PATTERNS) + "\n";
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            return; // written meanwhile: the user's own, never replaced
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + file + ": " + e.getMessage(), e);
        }
        getLog().info("Wrote " + where(home.toFile(), file) + ": " + (entry == null ? "" : entry + " and ")
                + "/target/ stay out of git");
    }

    /**
     * Whether the lines ignore the PKI directory {@code entry} ({@code /pki/}) as a whole, or its secrets: the
     * README's layout for a CI that verifies without secrets commits the public half and ignores
     * {@code pki/*.key} and {@code pki/encryption-key}.
     */
    private static boolean keepsSecretsOut(List<String> lines, String entry) {
        if (lines.stream().anyMatch(l -> ignores(l, entry))) {
            return true;
        }
        String name = entry.substring(1, entry.length() - 1);
        List<String> stripped = lines.stream().map(String::strip).map(l -> l.startsWith("/") ? l.substring(1) : l)
                .toList();
        return stripped.contains(name + "/*.key") && stripped.contains(name + "/encryption-key");
    }

    /** Whether a .gitignore line ignores the directory {@code entry} ({@code /pki/}) as a whole. */
    private static boolean ignores(String line, String entry) {
        String l = line.strip();
        String name = entry.substring(1, entry.length() - 1);
        for (String suffix : new String[] {"/**", "/*", "/"}) {
            if (l.endsWith(suffix)) {
                l = l.substring(0, l.length() - suffix.length());
                break;
            }
        }
        if (l.startsWith("/")) {
            l = l.substring(1);
        } else if (l.startsWith("**/")) {
            l = l.substring(3);
        }
        return l.equals(name);
    }
}

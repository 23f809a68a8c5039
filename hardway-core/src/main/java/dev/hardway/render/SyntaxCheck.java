package dev.hardway.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.hardway.model.TemplateException;
import dev.hardway.model.Version;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;


/**
 * Parses a rendered file back before it is written, so that a template bug fails generation instead of the host.
 * Which parser applies is decided by the target file's name.
 */
public final class SyntaxCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TomlMapper TOML = new TomlMapper();
    // A Yaml is not thread-safe, and building one (its resolver's patterns) costs more than parsing a small file.
    // A key given twice is refused: the components' strict decoders refuse it too (SnakeYAML's default only logs).
    private static final ThreadLocal<Yaml> YAML = ThreadLocal.withInitial(() -> {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    });
    private SyntaxCheck() {
    }

    /** The format a target file is parsed as, if any. */
    public enum Format { YAML, JSON, TOML, SYSTEMD_UNIT, NONE }

    public static Format formatOf(String targetPath) {
        String name = targetPath.substring(targetPath.lastIndexOf('/') + 1);
        if (name.endsWith(".yaml") || name.endsWith(".yml") || name.equals("kubeconfig")
                || name.endsWith(".kubeconfig")) {
            return Format.YAML;
        }
        if (name.endsWith(".json") || name.endsWith(".conf") && targetPath.startsWith("/etc/cni/")
                || name.endsWith(".conflist")) {
            return Format.JSON;
        }
        if (name.endsWith(".toml")) {
            return Format.TOML;
        }
        if (name.endsWith(".service")) {
            return Format.SYSTEMD_UNIT;
        }
        return Format.NONE;
    }

    /** As {@link #check(String, String, Optional, Version, String)} for a built-in template. */
    public static void check(String targetPath, String template, String text) {
        check(targetPath, template, Optional.empty(), null, text);
    }

    /**
     * @param template   the template that produced the text, for the message
     * @param override   the file of the user's template directory it was read from, if it is an override: a unit's
     *                   command lines are then held to systemd's syntax rather than to what hardway writes, and
     *                   what they give a daemon hardway installs to what that daemon takes in {@code kubernetes}
     * @param kubernetes the targeted release, for an override's flags; may be null when {@code override} is empty
     * @throws TemplateException when the text does not parse as its format
     */
    public static void check(String targetPath, String template, Optional<Path> override, Version kubernetes,
                             String text) {
        Format format = formatOf(targetPath);
        if (format == Format.NONE) {
            return;
        }
        // No cache of texts already checked: a file every node shares is rendered, and so checked, once per run
        // (GenerationContext.renderShared); of 5047 checks in a run of 1000 workers, 14 were of a text seen before.
        parse(format, targetPath, template, override, kubernetes, text);
    }

    private static void parse(Format format, String targetPath, String template, Optional<Path> override,
                              Version kubernetes, String text) {
        String source = override.map(file -> template + " (your override " + file + ")").orElse(template);
        try {
            switch (format) {
                case YAML -> {
                    for (Object ignored : YAML.get().loadAll(text)) {
                        // loading every document is the check
                    }
                }
                case JSON -> JSON.readTree(text);
                case TOML -> TOML.readTree(text);
                case SYSTEMD_UNIT -> (override.isPresent()
                        ? SystemdUnitCheck.check(text, SystemdUnitCheck.Commands.SYSTEMD_SYNTAX,
                                new DaemonCommandCheck(java.util.Objects.requireNonNull(kubernetes, "kubernetes")))
                        : SystemdUnitCheck.check(text, SystemdUnitCheck.Commands.HARDWAYS_OWN))
                        .ifPresent(problem -> {
                            Where where = where(override, text, problem.line());
                            throw new TemplateException(template, where.line(), source + " rendered " + targetPath
                                    + " that systemd would not read as written: " + problem.at(where.text()));
                        });
                case NONE -> {
                }
            }
        } catch (MarkedYAMLException e) {
            Where where = where(override, text, e.getProblemMark().getLine() + 1);
            throw new TemplateException(template, override.isPresent() ? where.line() : 0,
                    source + " rendered " + targetPath + " that is not valid YAML at " + where.text() + ": "
                    + e.getProblem(), e);
        } catch (YAMLException | JsonProcessingException e) {
            throw new TemplateException(template, 0,
                    source + " rendered " + targetPath + " that is not valid " + format + ": "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** A line of a rendered file as a message names it, and the line a {@link TemplateException} carries. */
    private record Where(int line, String text) {
    }

    /**
     * Line {@code rendered} of {@code text} as its author finds it: in a built-in template's output, that line;
     * in an override's, the override's own line when it differs ({@link TemplateLines}), and otherwise said to
     * be the rendered unit's.
     */
    private static Where where(Optional<Path> override, String text, int rendered) {
        if (override.isEmpty() || rendered < 1) {
            return new Where(rendered, "line " + rendered);
        }
        List<Integer> lines;
        try {
            lines = TemplateLines.sourceOf(Files.readString(override.get()), text, rendered);
        } catch (IOException | UncheckedIOException gone) {
            return new Where(rendered, "line " + rendered); // it rendered a moment ago; the line is its best guess
        }
        if (lines.isEmpty()) {
            return new Where(rendered, "line " + rendered + " of the rendered file (no line of your override "
                    + "matches it)");
        }
        if (lines.equals(List.of(rendered))) {
            return new Where(rendered, "line " + rendered);
        }
        String of = lines.stream().limit(3).map(String::valueOf).collect(Collectors.joining(" or "))
                + (lines.size() > 3 ? " or " + (lines.size() - 3) + " more" : "");
        return new Where(lines.get(0), "line " + of + " of your override (line " + rendered + " as rendered)");
    }
}

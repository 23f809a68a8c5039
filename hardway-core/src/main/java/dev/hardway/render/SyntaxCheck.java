package dev.hardway.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.hardway.model.TemplateException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import dev.hardway.pki.Fingerprints;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses a rendered file back before it is written, so that a template bug fails generation instead of the host.
 * Which parser applies is decided by the target file's name.
 */
public final class SyntaxCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TomlMapper TOML = new TomlMapper();
    // A Yaml is not thread-safe, and building one (its resolver's patterns) costs more than parsing a small file.
    private static final ThreadLocal<Yaml> YAML = ThreadLocal.withInitial(
            () -> new Yaml(new SafeConstructor(new LoaderOptions())));
    /**
     * Digests of texts that already parsed as their format. Most files are the same on every worker, so a large
     * cluster parses each once instead of once per node; bounded, so a long-lived JVM (a Maven daemon) does not
     * keep them all.
     */
    private static final Map<String, Boolean> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_LIMIT = 50_000;

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

    /**
     * @param template the template that produced the text, for the message
     * @throws TemplateException when the text does not parse as its format
     */
    public static void check(String targetPath, String template, String text) {
        check(targetPath, template, text, null);
    }

    /** As {@link #check(String, String, String)}, for a text whose UTF-8 bytes the caller already holds. */
    public static void check(String targetPath, String template, String text, byte[] utf8) {
        Format format = formatOf(targetPath);
        if (format == Format.NONE) {
            return;
        }
        String key = format + ":" + Fingerprints.sha256Hex(utf8 != null ? utf8 : text.getBytes(StandardCharsets.UTF_8));
        if (PARSED.containsKey(key)) {
            return;
        }
        parse(format, targetPath, template, text);
        if (PARSED.size() >= PARSED_LIMIT) {
            PARSED.clear();
        }
        PARSED.put(key, Boolean.TRUE);
    }

    private static void parse(Format format, String targetPath, String template, String text) {
        try {
            switch (format) {
                case YAML -> {
                    for (Object ignored : YAML.get().loadAll(text)) {
                        // loading every document is the check
                    }
                }
                case JSON -> JSON.readTree(text);
                case TOML -> TOML.readTree(text);
                case SYSTEMD_UNIT -> SystemdUnitCheck.check(text).ifPresent(problem -> {
                    throw new TemplateException(template, 0,
                            template + " rendered " + targetPath + " that systemd would not read "
                            + "as written: " + problem);
                });
                case NONE -> {
                }
            }
        } catch (MarkedYAMLException e) {
            throw new TemplateException(template, 0,
                    template + " rendered " + targetPath + " that is not valid YAML at line "
                    + (e.getProblemMark().getLine() + 1) + ": " + e.getProblem(), e);
        } catch (YAMLException | JsonProcessingException e) {
            throw new TemplateException(template, 0,
                    template + " rendered " + targetPath + " that is not valid " + format + ": "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}

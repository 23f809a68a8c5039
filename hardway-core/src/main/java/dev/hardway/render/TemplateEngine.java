package dev.hardway.render;

import dev.hardway.model.TemplateException;
import freemarker.cache.ConditionalTemplateConfigurationFactory;
import freemarker.cache.FileNameGlobMatcher;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.PlainTextOutputFormat;
import freemarker.core.TemplateConfiguration;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateNotFoundException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

/**
 * Renders hardway's FreeMarker templates: the built-in ones shipped in the jar, each overridable by a file of the
 * same relative name in a user's template directory.
 *
 * <p>Strict: a value a template names but the model lacks fails rendering with the template name and line, and
 * output never depends on the machine's locale or time zone.
 */
public final class TemplateEngine {
    /** Where the top-level {@code templates/} folder lives inside the hardway-core jar. */
    public static final String CLASSPATH_ROOT = "/dev/hardway/templates";

    private final Configuration configuration;
    private final Path overrideDirectory;

    /** The built-in templates only. */
    public TemplateEngine() {
        this(null);
    }

    /** @param overrideDirectory templates here win over the built-in ones, file by file; may be {@code null} */
    public TemplateEngine(Path overrideDirectory) {
        this.overrideDirectory = overrideDirectory;
        this.configuration = configure(overrideDirectory);
    }

    private static Configuration configure(Path overrideDirectory) {
        Configuration c = new Configuration(Configuration.VERSION_2_3_34);
        TemplateLoader builtIn = new BuiltInTemplates();
        if (overrideDirectory != null) {
            if (!Files.isDirectory(overrideDirectory)) {
                throw new TemplateException(overrideDirectory.toString(), 0, "templateDirectory " + overrideDirectory
                        + " is not a directory");
            }
            try {
                c.setTemplateLoader(new MultiTemplateLoader(new TemplateLoader[] {
                    new FileTemplateLoader(overrideDirectory.toFile()), builtIn}));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            c.setTemplateLoader(builtIn);
        }
        c.setDefaultEncoding("UTF-8");
        c.setOutputEncoding("UTF-8");
        c.setLocale(Locale.ROOT);
        c.setTimeZone(TimeZone.getTimeZone("UTC"));
        c.setNumberFormat("c");
        c.setBooleanFormat("c");
        c.setOutputFormat(PlainTextOutputFormat.INSTANCE);
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setWrapUncheckedExceptions(true);
        c.setFallbackOnNullLoopVariable(false);
        c.setLocalizedLookup(false);
        // shell scripts are full of ${...}; their templates interpolate with [=...] instead
        TemplateConfiguration shell = new TemplateConfiguration();
        shell.setInterpolationSyntax(Configuration.SQUARE_BRACKET_INTERPOLATION_SYNTAX);
        c.setTemplateConfigurations(new ConditionalTemplateConfigurationFactory(
                new FileNameGlobMatcher("*.sh.ftl"), shell));
        c.setAPIBuiltinEnabled(false);
        c.setNewBuiltinClassResolver(freemarker.core.TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        return c;
    }

    /**
     * Renders {@code name} (relative to the templates root, e.g. {@code kubelet/kubelet-config.yaml.ftl}).
     *
     * @throws TemplateException naming the template, the line and the missing or broken expression
     */
    public String render(String name, Map<String, ?> model) {
        try {
            Template template = configuration.getTemplate(name);
            StringWriter out = new StringWriter();
            template.process(model, out);
            return out.toString();
        } catch (TemplateNotFoundException e) {
            throw new TemplateException(name, 0, "template " + name + " does not exist" + where(), e);
        } catch (freemarker.core.ParseException e) {
            throw new TemplateException(name, e.getLineNumber(),
                    "template " + name + " line " + e.getLineNumber() + ": "
                    + e.getEditorMessage() + where(), e);
        } catch (freemarker.core.InvalidReferenceException e) {
            throw new TemplateException(name, lineOf(e), "template " + name + " line " + e.getLineNumber() + ": '"
                    + e.getBlamedExpressionString() + "' has no value; values available here: "
                    + String.join(", ", new java.util.TreeSet<>(model.keySet())) + where(), e);
        } catch (freemarker.template.TemplateException e) {
            throw new TemplateException(name, lineOf(e), "template " + name + " line " + e.getLineNumber() + ": "
                    + firstLine(e.getMessageWithoutStackTop()) + where(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + name, e);
        }
    }

    private static int lineOf(freemarker.template.TemplateException e) {
        Integer line = e.getLineNumber();
        return line == null ? 0 : line;
    }

    /** Whether the user's template directory overrides {@code name}. */
    public boolean isOverridden(String name) {
        return overrideOf(name).isPresent();
    }

    /**
     * The file of the user's template directory that {@link #render} reads for {@code name}, if any: the loader
     * asks that directory first and takes a regular file of that relative name, so the same test decides here.
     */
    public Optional<Path> overrideOf(String name) {
        if (overrideDirectory == null) {
            return Optional.empty();
        }
        Path file = overrideDirectory.resolve(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    public Optional<Path> overrideDirectory() {
        return Optional.ofNullable(overrideDirectory);
    }

    private String where() {
        return overrideDirectory == null ? "" : " (templates from " + overrideDirectory + ", then the built-in ones)";
    }

    private static String firstLine(String message) {
        return message.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("----"))
                .findFirst().orElse(message);
    }
}

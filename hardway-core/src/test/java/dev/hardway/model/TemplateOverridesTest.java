package dev.hardway.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TemplateOverridesTest {
    @TempDir
    Path templates;

    private void write(String name) throws IOException {
        Path file = templates.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# mine\n");
    }

    @Test
    void builtIn_isEveryFileOfTheRepositorysTemplatesFolder() throws IOException {
        Path root = Path.of(System.getProperty("hardway.repositoryRoot"), "templates");
        SortedSet<String> expected = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(p -> expected.add(root.relativize(p).toString()
                    .replace(root.getFileSystem().getSeparator(), "/")));
        }

        assertEquals(expected, TemplateOverrides.builtIn());
    }

    @Test
    void unmatched_aMisspelledOverride_isNamedWithTheBuiltInItWasMeantToReplace() throws IOException {
        write("kubelet/kubelet-conf.yaml.ftl");
        write("kubelet/kubelet-config.yaml.ftl");

        assertEquals(List.of("templateDirectory: kubelet/kubelet-conf.yaml.ftl in " + templates + " replaces no "
                + "built-in template, so it changes nothing; the nearest built-in template is "
                + "kubelet/kubelet-config.yaml.ftl (an override must have the same path and name)"),
                TemplateOverrides.unmatched(templates));
    }

    @Test
    void unmatched_everyStrayFileIsNamed_inOrder_overridesAndHiddenFilesAreNot() throws IOException {
        write("kubelet.service.ftl");
        write("etcd/etcd.service");
        write("etcd/etcd.service.ftl");
        write(".git/config");
        write("kubelet/.kubelet.service.ftl.swp");

        List<String> warnings = TemplateOverrides.unmatched(templates);

        assertEquals(List.of("etcd/etcd.service -> etcd/etcd.service.ftl",
                "kubelet.service.ftl -> kubelet/kubelet.service.ftl"), warnings.stream()
                .map(w -> w.substring("templateDirectory: ".length(), w.indexOf(" in "))
                        + " -> " + w.substring(w.indexOf("is ", w.indexOf("nearest")) + 3, w.indexOf(" (an ")))
                .toList());
    }

    @Test
    void unmatched_noTemplateDirectory_warnsOfNothing() {
        assertEquals(List.of(), TemplateOverrides.unmatched(null));
        assertEquals(List.of(), TemplateOverrides.unmatched(templates.resolve("absent")));
    }
}

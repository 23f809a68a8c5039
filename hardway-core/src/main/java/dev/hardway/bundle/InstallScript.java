package dev.hardway.bundle;

import dev.hardway.render.TemplateEngine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Renders a node's {@code install.sh} from its bundle: every value the script needs (directories in creation
 * order, files with their modes and the services they restart) is computed here, so the template only loops.
 */
public final class InstallScript {
    public static final String TEMPLATE = "bundle/install.sh.ftl";
    /** Where a target file sits inside the bundle directory, next to install.sh. */
    public static final String FILES_DIR = "files";

    private final TemplateEngine templates;

    public InstallScript(TemplateEngine templates) {
        this.templates = templates;
    }

    /**
     * @param cluster           the cluster name, for the header
     * @param kubernetesVersion for the header
     * @param modules           kernel modules to load on the host
     * @param sysctlFile        the sysctl drop-in to apply on the host
     */
    public String render(NodeBundle bundle, String cluster, String kubernetesVersion, List<String> modules,
                         String sysctlFile) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("node", bundle.node());
        model.put("role", bundle.role());
        model.put("cluster", cluster);
        model.put("kubernetesVersion", kubernetesVersion);
        model.put("directories", directories(bundle));
        model.put("files", files(bundle));
        model.put("services", bundle.services());
        model.put("binaries", bundle.binaries().stream().map(ShellWords::quote).toList());
        model.put("hostTools", bundle.hostTools().stream().map(ShellWords::quote).toList());
        model.put("modules", modules.stream().map(ShellWords::quote).toList());
        model.put("sysctlFile", ShellWords.quote(sysctlFile));
        addons(bundle, model);
        return templates.render(TEMPLATE, model);
    }

    /** The add-on block's values; the template shows it only where {@code addons} is true. */
    private static void addons(NodeBundle bundle, Map<String, Object> model) {
        AddonApply a = bundle.addons();
        model.put("addons", a != null);
        model.put("addonsKubectl", a == null ? "" : ShellWords.quote(a.kubectl()));
        model.put("addonsKubeconfig", a == null ? "" : ShellWords.quote(a.kubeconfig()));
        model.put("addonsManifests", a == null ? List.of() : a.manifests().stream().map(ShellWords::quote).toList());
        model.put("addonsAttempts", a == null ? 0 : a.attempts());
        model.put("addonsIntervalSeconds", a == null ? 0 : a.intervalSeconds());
        model.put("addonsWaitSeconds", a == null ? 0 : a.attempts() * a.intervalSeconds());
    }

    /** One {@code ensure_dir} line: the directory, its mode, and whether an existing one is forced to it. */
    public record Directory(String path, String mode, String enforce) {
    }

    /** One {@code install_file} line. */
    public record File(String source, String target, String mode, List<String> services) {
    }

    private static List<Directory> directories(NodeBundle bundle) {
        TreeSet<String> all = new TreeSet<>(bundle.directoryModes().keySet());
        bundle.files().forEach(f -> all.addAll(f.parents()));
        bundle.directoryModes().keySet().forEach(d -> all.addAll(HostFile.text(d + "/x", "", 0).parents()));
        List<Directory> out = new ArrayList<>();
        for (String dir : all) {
            Integer mode = bundle.directoryModes().get(dir);
            out.add(new Directory(ShellWords.quote(dir), octal(mode == null ? 0755 : mode), mode == null ? "no" : "yes"));
        }
        return out;
    }

    private static List<File> files(NodeBundle bundle) {
        return bundle.files().stream()
                .map(f -> new File(ShellWords.quote(FILES_DIR + f.path()), ShellWords.quote(f.path()), octal(f.mode()),
                        List.copyOf(f.restarts())))
                .toList();
    }

    static String octal(int mode) {
        return String.format(java.util.Locale.ROOT, "%04o", mode);
    }
}

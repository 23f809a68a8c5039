package dev.hardway.realtools;

import dev.hardway.testing.SystemdCommandLines;
import dev.hardway.testing.SystemdRoot;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Template overrides whose units use systemd's own command-line syntax ({@code $VAR}, {@code $MAINPID}, a quoted
 * {@code /bin/sh -c} script, {@code %n}), checked by the real {@code systemd-analyze verify} (systemd 252, Debian
 * 12) the way {@link SystemdUnitsVerifyTest} checks the built-in ones: what hardway accepts, systemd reads without a
 * finding, and what hardway refuses at generate time, systemd reports when it loads the unit.
 */
class OverrideUnitsVerifyTest {
    private static final String NODE = "worker-0";
    private static final List<String> UNITS = List.of("hardway-pod-masquerade.service", "containerd.service",
            "kubelet.service", "kube-proxy.service");
    private static final Pattern EXEC = Pattern.compile("(?m)^Exec[A-Za-z]*=[-@:+!]*(/\\S+)");
    /** The programs {@link SystemdCommandLines} runs; systemd-analyze checks they exist in the root. */
    private static final List<String> PROGRAMS = List.of("/usr/local/bin/kubelet", "/usr/local/bin/containerd",
            "/usr/local/bin/etcd", "/bin/sh", "/bin/kill", "/bin/echo", "/bin/rm", "/sbin/modprobe", "/usr/bin/printf",
            "/usr/bin/sleep", "/usr/bin/true", "/usr/bin/false", "/usr/bin/find", "/usr/bin/grep", "/usr/bin/date");

    static final String KUBELET_OVERRIDE = """
            [Unit]
            Description=site kubelet (cluster ${cluster})
            After=containerd.service
            Requires=containerd.service

            [Service]
            EnvironmentFile=-/etc/default/kubelet
            ExecStartPre=/bin/sh -c 'test -r ${configFile} || exec /bin/false "$@"' sh %n
            ExecStart=${binary} \\
              --config=${configFile} \\
              --kubeconfig=${kubeconfigFile} \\
              --hostname-override=${node} \\
              $KUBELET_EXTRA_ARGS
            ExecReload=/bin/kill -HUP $MAINPID
            Restart=always
            RestartSec=5

            [Install]
            WantedBy=multi-user.target
            """;
    static final String CONTAINERD_OVERRIDE = """
            [Unit]
            Description=containerd with the site's flags
            After=network.target local-fs.target

            [Service]
            Environment="CONTAINERD_FLAGS=--log-level info"
            ExecStartPre=-/sbin/modprobe overlay
            ExecStart=/bin/sh -c 'exec ${binary} --config ${configFile} "$@"' sh $CONTAINERD_FLAGS
            ExecReload=/bin/kill -s HUP ${r"${MAINPID}"}
            Type=notify
            Delegate=yes
            KillMode=process
            Restart=always

            [Install]
            WantedBy=multi-user.target
            """;

    @TempDir
    Path scratch;

    @Test
    void overridesInSystemdSyntax_areGenerated_andPassSystemdAnalyzeVerifyWithoutAnyFinding() throws IOException {
        Path templates = scratch.resolve("templates");
        write(templates.resolve("kubelet/kubelet.service.ftl"), KUBELET_OVERRIDE);
        write(templates.resolve("containerd/containerd.service.ftl"), CONTAINERD_OVERRIDE);
        Path bundle = GeneratedCluster.generate(TestClusters.sample("minimal"), templates, scratch.resolve("gen"))
                .unpack(NODE, scratch.resolve("unpacked"));
        Path root = Files.createDirectories(scratch.resolve("root"));
        RealTools.command("bash", bundle.resolve("install.sh").toString(), "--root", root.toString()).runOk();
        SystemdRoot.copyStockUnits(root);
        List<String> units = new ArrayList<>();
        for (String unit : UNITS) {
            Path file = root.resolve("etc/systemd/system").resolve(unit);
            Matcher exec = EXEC.matcher(Files.readString(file));
            while (exec.find()) {
                stub(root, exec.group(1));
            }
            units.add(file.toString());
        }
        // the overrides reached the host as written, the model's values filled in
        String kubelet = Files.readString(root.resolve("etc/systemd/system/kubelet.service"));
        assertTrue(kubelet.contains("  --hostname-override=worker-0 \\\n  $KUBELET_EXTRA_ARGS\n"
                + "ExecReload=/bin/kill -HUP $MAINPID\n"), kubelet);
        String containerd = Files.readString(root.resolve("etc/systemd/system/containerd.service"));
        assertTrue(containerd.contains("ExecStart=/bin/sh -c 'exec /usr/local/bin/containerd --config "
                + "/etc/containerd/config.toml \"$@\"' sh $CONTAINERD_FLAGS\n"), containerd);
        // FreeMarker reads ${...} itself: a raw string hands systemd its ${VAR}
        assertTrue(containerd.contains("ExecReload=/bin/kill -s HUP ${MAINPID}\n"), containerd);

        RealTools.Result verify = verify(root, units);

        assertEquals(0, verify.exitCode(), verify.describe());
        // verify exits 0 on unknown keys and odd escapes and only warns: any output at all is a finding
        assertEquals("", verify.stdout() + verify.stderr(), verify.describe());
    }

    @Test
    void everyCommandLineHardwayAccepts_systemdAnalyzeVerifyReadsWithoutAnyFinding() throws IOException {
        Path root = programsRoot();
        List<String> units = new ArrayList<>();
        for (int i = 0; i < SystemdCommandLines.ACCEPTED.size(); i++) {
            units.add(unit(root, "accepted-" + i, SystemdCommandLines.ACCEPTED.get(i)).toString());
        }

        RealTools.Result verify = verify(root, units);

        assertEquals(0, verify.exitCode(), verify.describe());
        assertEquals("", verify.stdout() + verify.stderr(), verify.describe());
    }

    @Test
    void everyCommandLineHardwayRefusesAtLoad_systemdAnalyzeVerifyReportsToo() throws IOException {
        Path root = programsRoot();
        for (int i = 0; i < SystemdCommandLines.REFUSED_AT_LOAD.size(); i++) {
            String line = SystemdCommandLines.REFUSED_AT_LOAD.get(i).line();
            Path unit = unit(root, "refused-" + i, line);

            RealTools.Result verify = verify(root, List.of(unit.toString()));

            assertTrue(verify.stderr().contains("refused-" + i + ".service"), line + "\n" + verify.describe());
        }
        // ... and the harness can tell: the same root, with a line systemd reads, gives no finding
        RealTools.Result clean = verify(root, List.of(unit(root, "clean", "/usr/bin/true x").toString()));
        assertEquals("", clean.stdout() + clean.stderr(), clean.describe());
    }

    @Test
    void unitsHardwayAcceptsWhole_systemdAnalyzeVerifyReadsClean_andThoseItRefuses_systemdReports() throws IOException {
        Path root = programsRoot();
        for (SystemdCommandLines.Unit u : SystemdCommandLines.UNITS) {
            Path unit = write(root.resolve("etc/systemd/system/" + u.name() + ".service"), u.text());

            RealTools.Result verify = verify(root, List.of(unit.toString()));

            String findings = verify.stdout() + verify.stderr();
            if (u.refusal() == null) {
                assertEquals("", findings, u.name() + "\n" + verify.describe());
            } else {
                assertTrue(findings.contains(u.name() + ".service"), u.name() + "\n" + verify.describe());
            }
        }
    }

    @Test
    void unbalancedQuote_systemdAnalyzeVerifyFailsTheUnit() throws IOException {
        // what hardway's message says systemd does: the unit is refused, not merely warned about
        Path root = programsRoot();
        Path unit = unit(root, "unbalanced", "/bin/sh -c 'exec /usr/local/bin/containerd");

        RealTools.Result verify = verify(root, List.of(unit.toString()));

        assertNotEquals(0, verify.exitCode(), verify.describe());
        assertTrue(verify.stderr().contains("Unbalanced quoting"), verify.describe());
    }

    /** A unit that runs {@code line} before a command systemd surely reads, so that the line is all it tests. */
    private static Path unit(Path root, String name, String line) throws IOException {
        return write(root.resolve("etc/systemd/system/" + name + ".service"),
                "[Service]\nExecStart=/usr/bin/true\nExecStartPre=" + line + "\n");
    }

    private Path programsRoot() throws IOException {
        Path root = Files.createDirectories(scratch.resolve("programs"));
        SystemdRoot.copyStockUnits(root);
        for (String program : PROGRAMS) {
            stub(root, program);
        }
        return root;
    }

    private static void stub(Path root, String program) throws IOException {
        Path stub = root.resolve(program.substring(1));
        if (!Files.exists(stub)) {
            write(stub, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static RealTools.Result verify(Path root, List<String> units) {
        List<String> argv = new ArrayList<>(List.of(RealTools.tool("systemd-analyze").toString(), "verify",
                "--man=no", "--root=" + root));
        argv.addAll(units);
        return RealTools.command(argv).run();
    }
}

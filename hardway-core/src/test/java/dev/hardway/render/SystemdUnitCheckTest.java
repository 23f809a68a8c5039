package dev.hardway.render;

import dev.hardway.model.TemplateException;
import dev.hardway.model.Version;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SystemdUnitCheckTest {
    private static final String UNIT = """
            [Unit]
            Description=etcd
            # a comment
            [Service]
            ExecStart=/usr/local/bin/etcd \\
              --name=controller-0 \\
              --initial-cluster=controller-0=https://10.240.0.10:2380,controller-1=https://[fd00::1]:2380
            Restart=always
            """;

    @Test
    void wellFormedUnit_withContinuedCommandLine_passes() {
        assertEquals(Optional.empty(), SystemdUnitCheck.check(UNIT));
    }

    @Test
    void commandValueWithDollarOrPercent_isRejectedNamingTheLine() {
        String bad = UNIT.replace("--name=controller-0", "--name=$NODE");
        assertTrue(SystemdUnitCheck.check(bad).orElseThrow().contains("line 5: '--name=$NODE'"));
        assertTrue(SystemdUnitCheck.check(UNIT.replace("controller-0 ", "%n ")).isPresent());
    }

    @Test
    void settingOutsideASection_orNotKeyValue_isRejected() {
        assertTrue(SystemdUnitCheck.check("Description=x\n").isPresent());
        assertTrue(SystemdUnitCheck.check("[Unit]\njust words\n").orElseThrow().contains("line 2"));
    }

    @Test
    void misspelledSection_orNoCommandToRun_isRejected_anXSectionIsTheAuthorsOwn() {
        assertTrue(SystemdUnitCheck.check(UNIT.replace("[Service]", "[Srvice]")).orElseThrow()
                .contains("[Srvice] is not a section of a service unit"), UNIT);
        assertTrue(SystemdUnitCheck.check(UNIT.replace("ExecStart=", "ExecStrat=")).orElseThrow()
                .contains("it has no ExecStart="));
        assertEquals(Optional.empty(), SystemdUnitCheck.check(UNIT + "\n[X-Site]\nOwner=platform\n"));
    }

    @Test
    void syntaxCheck_failsRenderingOfABrokenUnit() {
        TemplateException e = assertThrows(TemplateException.class, () -> SyntaxCheck.check(
                "/etc/systemd/system/etcd.service", "etcd/etcd.service.ftl", UNIT.replace("--name=controller-0",
                        "--name=\"controller 0\"")));
        assertTrue(e.getMessage().contains("etcd/etcd.service.ftl rendered /etc/systemd/system/etcd.service"),
                e.getMessage());
    }

    /** A unit in systemd's own command-line syntax, as an operator writes it in a template override. */
    private static final String OPERATORS_UNIT = """
            [Unit]
            Description=site kubelet
            [Service]
            EnvironmentFile=-/etc/default/kubelet
            ExecStartPre=/bin/sh -c 'exec /usr/local/bin/check "$@"' sh %n
            ExecStart=/usr/local/bin/kubelet \\
              --config=/var/lib/kubelet/kubelet-config.yaml \\
              $KUBELET_EXTRA_ARGS
            ExecReload=/bin/kill -HUP $MAINPID
            """;
    private static final String KUBELET = "/etc/systemd/system/kubelet.service";
    private static final String TEMPLATE = "kubelet/kubelet.service.ftl";
    private static final Optional<Path> OVERRIDE = Optional.of(Path.of("/site/templates/kubelet/kubelet.service.ftl"));
    private static final Version V1_32 = new Version(1, 32, 3);

    @Test
    void syntaxCheck_builtInTemplateWithSystemdSyntax_isStillRefused() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> SyntaxCheck.check(KUBELET, TEMPLATE, OPERATORS_UNIT));
        assertTrue(e.getMessage().startsWith(TEMPLATE + " rendered " + KUBELET + " that systemd would not read as "
                + "written: line 5: ''exec' has characters systemd would interpret"), e.getMessage());
        assertThrows(TemplateException.class, () -> SyntaxCheck.check(KUBELET, TEMPLATE, Optional.empty(), V1_32,
                "[Service]\nExecStart=/usr/local/bin/kubelet $KUBELET_EXTRA_ARGS\n"));
    }

    @Test
    void syntaxCheck_overrideInSystemdSyntax_isAccepted() {
        SyntaxCheck.check(KUBELET, TEMPLATE, OVERRIDE, V1_32, OPERATORS_UNIT);
    }

    @Test
    void syntaxCheck_malformedOverride_namesItsFileTheLineAndWhatSystemdWouldDo() {
        String unbalanced = OPERATORS_UNIT.replace("\"$@\"' sh", "\"$@\" sh");
        TemplateException e = assertThrows(TemplateException.class,
                () -> SyntaxCheck.check(KUBELET, TEMPLATE, OVERRIDE, V1_32, unbalanced));
        assertEquals(TEMPLATE + " (your override /site/templates/kubelet/kubelet.service.ftl) rendered " + KUBELET
                + " that systemd would not read as written: line 5 (ExecStartPre=): the single quote in <'exec "
                + "/usr/local/bin/check \"$@\" sh %n> is never closed, so systemd refuses the whole line "
                + "('Unbalanced quoting')", e.getMessage());
        assertEquals(TEMPLATE, e.template());
        assertEquals(java.util.OptionalInt.of(5), e.line());

        // a problem on a continued line is reported at the line its setting starts on
        e = assertThrows(TemplateException.class, () -> SyntaxCheck.check(KUBELET, TEMPLATE, OVERRIDE, V1_32,
                OPERATORS_UNIT.replace("--config=", "--hostname-override=%Q --config=")));
        assertTrue(e.getMessage().contains("line 6 (ExecStart=): '%Q' in '--hostname-override=%Q' is not a "
                + "specifier systemd knows"), e.getMessage());
    }

    @Test
    void overrideUnit_isHeldToTheRestOfTheUnitChecksUnchanged() {
        SystemdUnitCheck.Commands syntax = SystemdUnitCheck.Commands.SYSTEMD_SYNTAX;
        assertEquals(Optional.empty(), SystemdUnitCheck.check(OPERATORS_UNIT, syntax));
        assertTrue(SystemdUnitCheck.check(OPERATORS_UNIT.replace("[Service]", "[Srvice]"), syntax).orElseThrow()
                .message().contains("[Srvice] is not a section of a service unit"));
        assertTrue(SystemdUnitCheck.check(OPERATORS_UNIT.replace("ExecStart=", "ExecStrat="), syntax)
                .orElseThrow().message().contains("it has no ExecStart="));
        assertEquals(2, SystemdUnitCheck.check(OPERATORS_UNIT.replace("Description", "Description x"), syntax)
                .orElseThrow().line());
    }

    @Test
    void syntaxCheck_aYamlKeyGivenTwice_failsRenderingNamingIt() {
        TemplateException e = assertThrows(TemplateException.class, () -> SyntaxCheck.check(
                "/var/lib/kubelet/kubelet-config.yaml", "kubelet/kubelet-config.yaml.ftl",
                "kind: KubeletConfiguration\nmaxPods: 110\nmaxPods: 5\n"));
        assertTrue(e.getMessage().contains("kubelet/kubelet-config.yaml.ftl rendered /var/lib/kubelet/kubelet-config"
                + ".yaml that is not valid YAML at line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("maxPods"), e.getMessage());
    }

    @Test
    void wholeUnits_continuationsKeysAndExecStartCounts_readAsSystemdDoes() {
        for (dev.hardway.testing.SystemdCommandLines.Unit u : dev.hardway.testing.SystemdCommandLines.UNITS) {
            java.util.Optional<SystemdUnitCheck.Problem> problem = SystemdUnitCheck.check(u.text(),
                    SystemdUnitCheck.Commands.SYSTEMD_SYNTAX);
            if (u.refusal() == null) {
                assertTrue(problem.isEmpty(), u.name() + ": " + problem);
            } else {
                assertTrue(problem.isPresent() && problem.get().message().contains(u.refusal()),
                        u.name() + ": " + problem);
            }
        }
    }

    @Test
    void builtInUnit_aSpaceAfterTheContinuationBackslash_isRefused_notReadAsContinued() {
        java.util.Optional<String> problem = SystemdUnitCheck.check(
                "[Service]\nExecStart=/usr/local/bin/kubelet \\ \n  --v=2\n");
        assertTrue(problem.isPresent() && problem.get().contains("line 2: '\\'"), problem.toString());
    }

    /** The loops that read sections, settings and command words accept exactly what their expressions match. */
    @Test
    void shapes_matchTheirRegularExpressions() {
        java.util.regex.Pattern section = java.util.regex.Pattern.compile("\\[[A-Za-z][-A-Za-z0-9]*]");
        java.util.regex.Pattern setting = java.util.regex.Pattern.compile("[A-Za-z][-A-Za-z0-9]*[ \t]*=.*");
        java.util.regex.Pattern word = java.util.regex.Pattern.compile("[-@:+!]*[A-Za-z0-9_./:,=@+\\[\\]*-]+");
        String alphabet = "aZ09=[]-@:+!_./,*$%\"'\\ \t\r\u0085\u2028\u2029\u00e9#;";
        java.util.Random random = new java.util.Random(5);
        java.util.List<String> texts = new java.util.ArrayList<>(java.util.List.of("", "[", "[]", "[Unit]", "[U1]", "[X-Mine]", "[-X]",
                "=", "a=", "a", "A1=b c", "1a=b", "a-b=c", "a=b\rc", "a =b", "X-Site = x", "a\t=", "a -=", "!", "-", "!!", "!-", "-!", "@:+", "!a",
                "a!", "--name=x", "[fd00::1]:2380", "x$y"));
        for (int i = 0; i < 200_000; i++) {
            StringBuilder t = new StringBuilder();
            int length = random.nextInt(7);
            for (int j = 0; j < length; j++) {
                t.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            texts.add(t.toString());
        }
        for (String t : texts) {
            assertEquals(section.matcher(t).matches(), SystemdUnitCheck.isSection(t), t);
            assertEquals(setting.matcher(t).matches(), SystemdUnitCheck.isSetting(t), t);
            assertEquals(word.matcher(t).matches(), SystemdUnitCheck.isCommandWord(t), t);
        }
    }
}

package dev.hardway.render;

import dev.hardway.model.TemplateException;
import org.junit.jupiter.api.Test;

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
    void syntaxCheck_failsRenderingOfABrokenUnit() {
        TemplateException e = assertThrows(TemplateException.class, () -> SyntaxCheck.check(
                "/etc/systemd/system/etcd.service", "etcd/etcd.service.ftl", UNIT.replace("--name=controller-0",
                        "--name=\"controller 0\"")));
        assertTrue(e.getMessage().contains("etcd/etcd.service.ftl rendered /etc/systemd/system/etcd.service"),
                e.getMessage());
    }
}

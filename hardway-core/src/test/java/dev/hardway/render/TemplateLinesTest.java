package dev.hardway.render;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TemplateLinesTest {
    private static final String TEMPLATE = """
            [Unit]
            <#-- kept out of the unit:
                 a note for the next operator -->
            Description=site kubelet for ${node}
            [Service]
            <#list flags as flag>
            Environment=FLAG_${flag?index}=${flag}
            </#list>
            ExecStart=/usr/local/bin/kubelet --config=/var/lib/kubelet/kubelet-config.yaml \\
              --node-ip=$NODE_IP
            """;
    private static final String RENDERED = """
            [Unit]
            Description=site kubelet for worker-0
            [Service]
            Environment=FLAG_0=a
            Environment=FLAG_1=b
            ExecStart=/usr/local/bin/kubelet --config=/var/lib/kubelet/kubelet-config.yaml \\
              --node-ip=$NODE_IP
            """;

    @Test
    void aLineAfterMultiLineDirectives_isFoundInTheTemplate() {
        assertEquals(9, TemplateLines.sourceOf(TEMPLATE, RENDERED, 6));
        assertEquals(4, TemplateLines.sourceOf(TEMPLATE, RENDERED, 2));
    }

    @Test
    void aLineALoopRepeats_isTheLoopsLine() {
        assertEquals(7, TemplateLines.sourceOf(TEMPLATE, RENDERED, 4));
        assertEquals(7, TemplateLines.sourceOf(TEMPLATE, RENDERED, 5));
    }

    @Test
    void aLineOnBothSides_isTheNearest_andALineNoTemplateLineMakes_staysAsRendered() {
        assertEquals(1, TemplateLines.sourceOf("[Service]\nA=1\n[Service]\n", "[Service]\nA=1\n[Service]\n", 1));
        assertEquals(3, TemplateLines.sourceOf("[Service]\nA=1\n[Service]\n", "[Service]\nA=1\n[Service]\n", 3));
        assertEquals(2, TemplateLines.sourceOf("${all}\n", "x\nB=2\n", 2));
        assertEquals(0, TemplateLines.sourceOf(TEMPLATE, RENDERED, 0));
    }
}

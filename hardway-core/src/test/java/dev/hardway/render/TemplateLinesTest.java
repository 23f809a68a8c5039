package dev.hardway.render;

import org.junit.jupiter.api.Test;

import java.util.List;

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
        assertEquals(List.of(9), TemplateLines.sourceOf(TEMPLATE, RENDERED, 6));
        assertEquals(List.of(4), TemplateLines.sourceOf(TEMPLATE, RENDERED, 2));
        assertEquals(List.of(10), TemplateLines.sourceOf(TEMPLATE, RENDERED, 7));
    }

    @Test
    void aLineALoopRepeats_isTheLoopsLine() {
        assertEquals(List.of(7), TemplateLines.sourceOf(TEMPLATE, RENDERED, 4));
        assertEquals(List.of(7), TemplateLines.sourceOf(TEMPLATE, RENDERED, 5));
    }

    @Test
    void aLineThatTies_isGivenWithEveryLineItTiesWith_nearestFirst() {
        String template = "[Service]\n<#if legacy>\nExecStart=/usr/local/bin/kubelet \\\n  --a\n<#else>\n"
                + "ExecStart=/usr/local/bin/kubelet \\\n  --b\n</#if>\n";
        String rendered = "[Service]\nExecStart=/usr/local/bin/kubelet \\\n  --b\n";
        // which branch rendered is not known here: both are named
        assertEquals(List.of(3, 6), TemplateLines.sourceOf(template, rendered, 2));
        assertEquals(List.of(7), TemplateLines.sourceOf(template, rendered, 3));
    }

    @Test
    void aLineWithMoreTextOfItsOwn_winsOverOneMadeOfInterpolations() {
        String template = "[Service]\n<#list settings as k, v>\n${k}=${v}\n</#list>\n"
                + "ExecStart=/usr/local/bin/kubelet --v=2\n";
        String rendered = "[Service]\nType=simple\nExecStart=/usr/local/bin/kubelet --v=2\n";
        assertEquals(List.of(5), TemplateLines.sourceOf(template, rendered, 3));
        assertEquals(List.of(3), TemplateLines.sourceOf(template, rendered, 2));
    }

    @Test
    void aCommentRendersNothing_soItsLinesAreNoCandidates() {
        String template = "[Service]\n<#-- the old one:\nExecStart=/usr/local/bin/kubelet --v=2\n-->\n"
                + "ExecStart=/usr/local/bin/kubelet --v=2\n";
        assertEquals(List.of(5), TemplateLines.sourceOf(template, "[Service]\nExecStart=/usr/local/bin/kubelet --v=2\n",
                2));
    }

    @Test
    void stringsAndBracketsInsideAnInterpolationOrTag_doNotEndIt() {
        // README's way to write systemd's ${VAR}, and a tag with a comparison in parentheses
        String template = "[Unit]\n<#if a>\nA=1\n</#if>\n[Service]\nExecStart=/x --ip=${r\"${NODE_IP}\"} --y\n"
                + "ExecStartPost=/x<#if (maxPods > 110)> --max-pods=${maxPods}</#if> --z\n"
                + "ExecStartPre=/x ${\"a}b\"} [=x[0]] --w\n";
        String rendered = "[Unit]\n[Service]\nExecStart=/x --ip=${NODE_IP} --y\nExecStartPost=/x --max-pods=200 --z\n"
                + "ExecStartPre=/x a}b q --w\n";
        assertEquals(List.of(6), TemplateLines.sourceOf(template, rendered, 3));
        assertEquals(List.of(7), TemplateLines.sourceOf(template, rendered, 4));
        assertEquals(List.of(8), TemplateLines.sourceOf(template, rendered, 5));
    }

    @Test
    void aLineNoTemplateLineMakes_orOutOfRange_isNone() {
        assertEquals(List.of(), TemplateLines.sourceOf("${all}\n", "x\nB=2\n", 2));
        assertEquals(List.of(), TemplateLines.sourceOf("A=1\n", "B=2\n", 1));
        assertEquals(List.of(), TemplateLines.sourceOf(TEMPLATE, RENDERED, 0));
        assertEquals(List.of(1), TemplateLines.sourceOf("[Service]\nA=1\n", "[Service]\nA=1\n", 1));
    }
}

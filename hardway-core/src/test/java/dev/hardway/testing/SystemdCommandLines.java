package dev.hardway.testing;

import java.util.List;

/**
 * Exec*= command lines of a template override, read by hardway's check (render.SystemdCommandLineTest) and by the
 * real systemd-analyze (realtools.OverrideUnitsVerifyTest), so that the two are held to agree.
 */
public final class SystemdCommandLines {
    private SystemdCommandLines() {
    }

    /** A malformed line and a part of the message hardway refuses it with. */
    public record Refusal(String line, String says) {
    }

    /** What an operator legitimately writes in an override's Exec*= line. */
    public static final List<String> ACCEPTED = List.of(
            "/usr/local/bin/kubelet $KUBELET_EXTRA_ARGS",
            "/usr/local/bin/kubelet --config=/var/lib/kubelet/kubelet-config.yaml ${KUBELET_EXTRA_ARGS}",
            "/bin/sh -c 'exec /usr/local/bin/containerd \"$@\"' sh",
            "/bin/sh -c \"exec /usr/local/bin/containerd --log-level $$LEVEL\"",
            "/bin/sh -c 'echo $HOME ${HOME:-/root} $1 $*' sh",
            "/bin/kill -HUP $MAINPID",
            "-/bin/kill -s TERM ${MAINPID}",
            "/usr/local/bin/etcd --name=%H --data-dir=%S/etcd --unit=%n --instance=%i --host=%l",
            "/usr/bin/printf '100%% done at 100%'",
            ":/bin/echo $NOT_EXPANDED ${NOR_THIS",
            "@/usr/bin/sleep sleeper 1",
            "+/sbin/modprobe overlay",
            "!!/usr/bin/true",
            "/usr/bin/find /var/log -name x -exec /bin/rm {} \\;",
            "/usr/bin/printf a\\tb\\x41\\101\\u00e9\\s\\\\\\\"\\'",
            "\"/usr/bin/printf\" \"two words\" 'and two' mid\"dle quoted\"word",
            "/usr/bin/true ; /usr/bin/false",
            "/usr/bin/true --pid=$$",
            "/bin/sh -c 'echo 100% done'",
            "/usr/bin/printf '%-10s' x",
            "/usr/bin/date +%.s",
            "true",
            "");

    /** Malformed lines systemd itself reports when it loads the unit (so systemd-analyze verify reports them). */
    public static final List<Refusal> REFUSED_AT_LOAD = List.of(
            new Refusal("/bin/sh -c 'exec /usr/local/bin/containerd", "single quote in <'exec"),
            new Refusal("/usr/bin/printf \"a b", "double quote in <\"a b> is never closed"),
            new Refusal("/usr/bin/printf x\"a b' c", "double quote in <x\"a b' c> is never closed"),
            new Refusal("/usr/local/bin/kubelet --hostname-override=%Q",
                    "'%Q' in '--hostname-override=%Q' is not a specifier"),
            new Refusal("/usr/bin/printf '%Q'", "'%Q' in '%Q'"),
            new Refusal("/usr/local/%Z/kubelet", "'%Z'"),
            new Refusal("/usr/bin/printf %c", "'%c' in '%c' is a deprecated specifier"),
            new Refusal("/usr/bin/printf %5d", "'%5' in '%5d' is not a specifier"),
            new Refusal("/usr/bin/printf %D", "'%D' in '%D' is resolved only by systemd releases after 252"),
            new Refusal("/usr/bin/printf \\400", "'\\400' in <\\400> is not an escape"),
            new Refusal("/usr/bin/grep '\\w+'", "'\\w' in <'\\w+'> is not an escape systemd knows"),
            new Refusal("/usr/bin/printf a\\ b", "'\\ ' in <a\\ b> is not an escape"),
            new Refusal("/usr/bin/printf \\x4", "'\\x4' in <\\x4>"),
            new Refusal("/usr/bin/printf \\0", "'\\0'"),
            new Refusal("/usr/bin/printf x\\;", "'\\;' in <x\\;>"),
            new Refusal("@/usr/bin/true", "there is none"),
            new Refusal("usr/bin/true", "neither an absolute path nor a plain name"),
            new Refusal("--/usr/bin/true", "'-/usr/bin/true' is neither an absolute path"),
            new Refusal("- /usr/bin/true", "'-' names no program"));

    /** Malformed lines systemd only misreads when it runs the command (so verify cannot see them). */
    public static final List<Refusal> REFUSED_AT_EXEC = List.of(
            new Refusal("/usr/bin/printf $1", "'$1' is a word of its own"),
            new Refusal("/usr/bin/printf $", "'$' is a word of its own"),
            new Refusal("/bin/sh -c '$CMD --now'", "'$CMD --now' is a word of its own"),
            new Refusal("/usr/bin/printf --x=${1}", "'${1}' in '--x=${1}' names no variable"),
            new Refusal("/usr/bin/printf ${}", "'${}'"),
            new Refusal("/usr/bin/printf \"${A B}\"", "'${A B}'"),
            new Refusal("/usr/bin/printf --x=${A", "the '${' in '--x=${A' is never closed"),
            new Refusal("/usr/local/bin/$BINARY --x", "systemd substitutes no variable in the program's path"));

    /** A whole service unit and, when hardway refuses it, a part of the message; {@code null} when it is fine. */
    public record Unit(String name, String text, String refusal) {
    }

    /** Units whose shape (continuations, keys, how many ExecStart=) decides what systemd does with them. */
    public static final List<Unit> UNITS = List.of(
            new Unit("comment-in-continuation", "[Service]\nExecStart=/usr/bin/printf a \\\n"
                    + "# --b is left out \\\n  --c=1\n", null),
            new Unit("escaped-backslash-at-end", "[Service]\nExecStart=/usr/bin/printf a\\\\\n"
                    + "ExecStartPost=/usr/bin/true\n", null),
            new Unit("exec-paths", "[Service]\nExecStart=/usr/bin/true\nExecPaths=/usr/bin/\n", null),
            new Unit("blanks-around-the-equals-sign", "[Service]\nExecStart = /usr/bin/true\n", null),
            new Unit("x-key", "[Service]\nExecStart=/usr/bin/true\nX-Site=rack-4\n", null),
            new Unit("two-starts-oneshot", "[Service]\nType=oneshot\nExecStart=/usr/bin/true\n"
                    + "ExecStart=/usr/bin/true ; /usr/bin/true\n", null),
            new Unit("start-emptied-and-set", "[Service]\nExecStart=/usr/bin/false\nExecStart=\n"
                    + "ExecStart=/usr/bin/true\n", null),
            new Unit("space-after-continuation", "[Service]\nExecStart=/usr/bin/printf a \\ \n  --b=1\n",
                    "ends in a backslash that escapes nothing"),
            new Unit("empty-line-ends-continuation", "[Service]\nExecStart=/usr/bin/printf a \\\n\n  --b=1\n",
                    "line 4 is neither a [Section] nor a Key=Value setting: --b=1"),
            new Unit("two-starts-simple", "[Service]\nExecStart=/usr/bin/true ; /usr/bin/true\n",
                    "it has 2 ExecStart= commands, which systemd runs only for Type=oneshot"),
            new Unit("two-start-lines", "[Service]\nType=notify\nExecStart=/usr/bin/true\nExecStart=/usr/bin/true\n",
                    "refuses this Type=notify service"),
            new Unit("start-only-empty", "[Service]\nExecStart=\n", "it has no ExecStart="));
}

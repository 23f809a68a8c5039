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
}

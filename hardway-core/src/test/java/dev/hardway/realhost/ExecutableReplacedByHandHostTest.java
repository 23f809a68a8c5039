package dev.hardway.realhost;

import dev.hardway.testing.ProcessRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * install.sh with no record of the executables (a host set up by an earlier hardway, or the record deleted), on a
 * booted worker ({@link RealHostCluster#ROBUSTNESS_NODE}): it compares the device and inode of what each service's
 * main process runs ({@code /proc/PID/exe}) with its executable's, restarts a service that runs another file, lets
 * one that runs the file run on, starts one that was stopped, and records the executables, so the next run
 * restarts nothing. containerd is the real program, linked into /usr/local/bin as an operator installs it.
 *
 * <p>STAND-INS: the kubelet and kube-proxy are scripts that exec {@code sleep}, so their main process runs
 * /usr/bin/sleep and never their file; install.sh cannot tell what they run and restarts them on a run without a
 * record, which the tests say. Each test leaves the node converged (containerd linked again, install.sh run).
 */
class ExecutableReplacedByHandHostTest {
    private static final Duration SHORT = Duration.ofSeconds(20);
    private static final String RECORD = "/var/lib/hardway/binaries.sha256";
    private static final String PENDING = "/var/lib/hardway/pending-restarts";
    private static final String CONTAINERD = "/usr/local/bin/containerd";
    private static final String KUBE_PROXY = "/usr/local/bin/kube-proxy";
    private static RealHostCluster cluster;
    private static BootedNode node;
    /** The file the node's /usr/local/bin/containerd links to. */
    private static String linked;

    @BeforeAll
    static void boot() {
        cluster = RealHostCluster.shared();
        node = cluster.node(RealHostCluster.ROBUSTNESS_NODE);
        linked = "/opt/hardway-realhost/containerd-" + cluster.containerdLine(node.name) + "/bin/containerd";
    }

    @Test
    void noRecord_nothingReplaced_aServiceRunningItsExecutableRunsOn_standInsRunningSleepRestart() {
        converge();
        String containerd = mainPid("containerd");
        node.shOk(SHORT, "rm " + RECORD);

        ProcessRun run = cluster.install(node);

        assertTrue(run.succeeded(), run::describe);
        assertEquals(containerd, mainPid("containerd"), "containerd runs " + linked + " already\n" + run.describe());
        assertFalse(actions(run).contains("restart containerd"), run.describe());
        for (String standIn : List.of("kubelet", "kube-proxy")) {
            String said = "/usr/local/bin/" + standIn + " is not what " + standIn + " runs (process ";
            assertTrue(run.output().lines().anyMatch(l -> l.startsWith(said)
                    && l.endsWith(" runs /usr/bin/sleep): restarts " + standIn)), run.describe());
        }
        assertTrue(node.shOk(SHORT, "cat " + RECORD).output().contains("  " + CONTAINERD + "\n"), "recorded");
        assertEquals(List.of(), actions(cluster.install(node)), "the run after it restarts nothing");
    }

    @Test
    void noRecord_executableReplacedByHand_itsServiceRestartsOnTheNewFile_aStoppedOneStarts_nextRunNothing() {
        converge();
        String oldPid = mainPid("containerd");
        String oldInode = inode("/proc/" + oldPid + "/exe");
        assertEquals(inode(CONTAINERD), oldInode, "containerd runs what " + CONTAINERD + " links to");
        try {
            // as an operator puts a new release in place: a new file moved over the old one (a new inode)
            node.shOk(SHORT, "set -e; systemctl stop kube-proxy\n"
                    + "cp " + linked + " " + CONTAINERD + ".new && mv -f " + CONTAINERD + ".new " + CONTAINERD + "\n"
                    + "cp " + KUBE_PROXY + " " + KUBE_PROXY + ".new && mv -f " + KUBE_PROXY + ".new " + KUBE_PROXY
                    + "\nrm " + RECORD);

            ProcessRun run = cluster.install(node);

            assertTrue(run.succeeded(), run::describe);
            assertTrue(run.output().contains(CONTAINERD + " is not what containerd runs (process " + oldPid + " runs "
                    + linked + "): restarts containerd\n"), run.describe());
            assertTrue(actions(run).contains("restart containerd"), run.describe());
            String newPid = mainPid("containerd");
            assertNotEquals(oldPid, newPid, "containerd was not restarted\n" + run.describe());
            assertEquals(inode(CONTAINERD), inode("/proc/" + newPid + "/exe"), "containerd runs the new file");
            assertNotEquals(oldInode, inode(CONTAINERD));
            assertTrue(actions(run).contains("start kube-proxy") && !actions(run).contains("restart kube-proxy"),
                    "a stopped service starts on the new file, and needs no restart\n" + run.describe());
            assertEquals("active", node.exec(SHORT, "systemctl", "is-active", "kube-proxy").output().strip());
            assertFalse(node.sh(SHORT, "test -e " + PENDING).succeeded(), "restarts still owed");
            String record = node.shOk(SHORT, "cat " + RECORD).output();
            assertTrue(record.contains("  " + CONTAINERD + "\n") && record.contains("  " + KUBE_PROXY + "\n"), record);

            List<String> pids = List.of(mainPid("containerd"), mainPid("kubelet"), mainPid("kube-proxy"));
            ProcessRun again = cluster.install(node);
            assertTrue(again.succeeded(), again::describe);
            assertEquals(List.of(), actions(again), again.describe());
            assertEquals(pids, List.of(mainPid("containerd"), mainPid("kubelet"), mainPid("kube-proxy")),
                    "the run after it restarted something");
        } finally {
            // containerd back on its link, running it (the record's checksum is the same: install.sh would not)
            node.shOk(SHORT, "ln -sfn " + linked + " " + CONTAINERD + " && systemctl restart containerd");
            converge();
        }
    }

    /** The service's MainPID, as systemd has it ("0" when it is not running). */
    private static String mainPid(String service) {
        return node.exec(SHORT, "systemctl", "show", "-p", "MainPID", "--value", service).output().strip();
    }

    /** Device and inode of the file {@code path} names, following links (as /proc/PID/exe is followed). */
    private static String inode(String path) {
        return node.shOk(SHORT, "stat -L -c %d:%i " + path).output().strip();
    }

    /** The (re)starts install.sh did, one a line as it prints them. */
    private static List<String> actions(ProcessRun run) {
        return run.output().lines().filter(l -> l.startsWith("restart ") || l.startsWith("start ")).toList();
    }

    private static void converge() {
        ProcessRun run = cluster.install(node);
        if (!run.succeeded()) {
            throw new AssertionError("the node did not converge: " + run.describe());
        }
    }
}

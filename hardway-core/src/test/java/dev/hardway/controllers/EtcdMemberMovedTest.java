package dev.hardway.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedCluster;
import dev.hardway.testing.Poll;
import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.TestClusters;
import dev.hardway.testing.ToolLookup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static dev.hardway.testing.ProcessRun.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A controller's {@code internalIp} changed in cluster.yaml, with real etcd 3.5 (Debian 13): the generated
 * membership script, run as {@code hardway-etcd-members.service} runs it on another controller, must move the
 * member (etcd's runtime reconfiguration: {@code member update} of its peer URL), not remove it as departed,
 * which kills the moved controller's etcd ("the data-dir used by this member must be removed").
 *
 * <p>Three members run on loopback addresses only (127.0.0.10-12, and 127.0.0.111 for a moved one): no network
 * namespace, nothing outside this machine's loopback. What the generator wrote is used as written, except:
 * <ul>
 *   <li>addresses: {@code https://10.240.0.N} becomes {@code https://127.0.0.N} in the members file and in
 *       etcd.service's flags, and each member's metrics listener (loopback port 2381 on every controller) gets its
 *       own address;</li>
 *   <li>paths: every absolute path of the script and the unit points into the member's scratch root, etcdctl is
 *       the test tools' (the test checks that no other line of the script differs);</li>
 *   <li>TLS: the generated certificates name 10.240.0.N, so each member gets one from a test etcd CA, made with
 *       openssl, naming its loopback address as the generated one names its internalIp (and 127.0.0.1, which
 *       the generated one names too: on loopback every peer connects from there).</li>
 * </ul>
 */
class EtcdMemberMovedTest {
    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration SCRIPT = Duration.ofSeconds(120);
    private static final Duration HEALTH_LIMIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEMBERS_FILE = "/etc/hardway/etcd-members";
    private static final String SCRIPT_PATH = "/usr/local/lib/hardway/etcd-membership.sh";
    private static final String ETCD_PKI = "/etc/kubernetes/pki/etcd/";
    private static final List<String> CONTROLLERS = List.of("controller-0", "controller-1", "controller-2");

    private final Map<String, Process> running = new LinkedHashMap<>();
    private final List<Path> logs = new ArrayList<>();

    @AfterEach
    void stopEtcd() {
        running.keySet().stream().toList().forEach(this::stop);
    }

    @Test
    void reconcile_controllerInternalIpChanged_updatesItsPeerUrl_memberKeptAndClusterHealthy(@TempDir Path work)
            throws IOException {
        RenderedCluster before = render(work, "before", "10.240.0.11", "10.240.0.12");
        RenderedCluster after = render(work, "after", "10.240.0.111", "10.240.0.12");
        Started started = started(work, before, "/hardway/before-the-move");
        Path etcd = started.etcd();
        Path etcdctl = started.etcdctl();
        Path openssl = started.openssl();
        Path ca = started.ca();
        Map<String, Path> roots = started.roots();
        Path client = roots.get("controller-0");
        Map<String, JsonNode> membersBefore = started.members();

        // controller-1 moves: its new bundle restarts its etcd on the new address, with its data directory; every
        // controller gets the new members file
        stop("controller-1");
        for (String controller : CONTROLLERS) {
            install(after, controller, roots.get(controller), etcdctl);
        }
        issue(openssl, ca, "controller-1", address(after, "controller-1"), roots.get("controller-1"));
        start(etcd, after, "controller-1", roots.get("controller-1"));

        // a controller that takes controller-1's old address in the same change, installed first: until the move,
        // that peer URL is still controller-1's, and the advice must not be to remove that healthy member
        Path newcomer = Files.createDirectories(work.resolve("roots").resolve("controller-3"));
        install(after, "controller-0", newcomer, etcdctl);
        Files.writeString(Path.of(under(newcomer, MEMBERS_FILE)),
                "controller-3 https://127.0.0.11:2380 https://127.0.0.11:2379\n", StandardOpenOption.APPEND);
        issue(openssl, ca, "controller-3", "127.0.0.11", newcomer);
        ProcessRun early = script(newcomer, "bootstrap", "controller-3", newcomer.resolve("run/etcd/bootstrap.env"));
        assertFalse(early.succeeded(), early::describe);
        assertTrue(early.output().contains("https://127.0.0.11:2380 still belongs to controller-1, which "
                + under(newcomer, MEMBERS_FILE) + " lists at https://127.0.0.111:2380"), early::describe);
        assertFalse(early.output().contains("member remove"), early::describe);
        assertEquals(CONTROLLERS, List.copyOf(members(etcdctl, client, clientUrls(before).replace("127.0.0.11:",
                "127.0.0.111:")).keySet()), "the early start changed no membership");

        ProcessRun reconcile = script(roots.get("controller-0"), "reconcile", "controller-0");
        String logged = reconcile.describe() + "\n--- controller-1's etcd\n" + tail(logs.get(logs.size() - 1));
        assertTrue(reconcile.succeeded(), logged);
        assertTrue(reconcile.output().contains("moving controller-1"), logged);
        assertFalse(reconcile.output().contains("removing controller-"), logged);

        Map<String, JsonNode> membersAfter = members(etcdctl, client, clientUrls(after));
        assertEquals(CONTROLLERS, List.copyOf(membersAfter.keySet()), "no member removed\n" + logged);
        JsonNode moved = membersAfter.get("controller-1");
        assertEquals(membersBefore.get("controller-1").path("ID").asText(), moved.path("ID").asText(),
                "controller-1 is the same member, its ID kept\n" + logged);
        assertEquals("[\"https://127.0.0.111:2380\"]", moved.path("peerURLs").toString(), logged);
        awaitHealthy(etcdctl, client, clientUrls(after));
        assertTrue(running.get("controller-1").isAlive(), "controller-1's etcd runs\n" + logged);
        ProcessRun get = ctl(etcdctl, client, "https://127.0.0.111:2379", "get", "/hardway/before-the-move",
                "--print-value-only");
        assertTrue(get.succeeded(), get::describe);
        assertEquals("kept", get.output().strip(), "the moved member serves the data it had");

        assertNothingLeftToDo(roots);
        assertEquals(membersAfter.keySet(), members(etcdctl, client, clientUrls(after)).keySet());
    }

    /**
     * Two controllers that swap addresses in one change: no order of single moves does it (etcd lets no two members
     * share a peer URL), so the script refuses and says the way round, through a free address; that way, followed
     * as written (three generations, each installed on every controller, the moved one restarted on its new address
     * with its data), keeps both members, their IDs and their data.
     */
    @Test
    void reconcile_twoControllersSwapAddresses_refusedWithTheWayRound_whichThreeReconcilesFollow(@TempDir Path work)
            throws IOException {
        RenderedCluster before = render(work, "before", "10.240.0.11", "10.240.0.12");
        RenderedCluster swapped = render(work, "swapped", "10.240.0.12", "10.240.0.11");
        Started started = started(work, before, "/hardway/before-the-swap");
        Path etcd = started.etcd();
        Path etcdctl = started.etcdctl();
        Path openssl = started.openssl();
        Path ca = started.ca();
        Map<String, Path> roots = started.roots();
        Path client = roots.get("controller-0");
        Map<String, JsonNode> membersBefore = started.members();

        // the swap, installed on controller-0 first: its hardway-etcd-members refuses, changes nothing, says how
        install(swapped, "controller-0", client, etcdctl);
        ProcessRun refused = script(client, "reconcile", "controller-0");
        assertFalse(refused.succeeded(), refused::describe);
        assertTrue(refused.output().contains("cannot move controller-1 (" + hexId(membersBefore.get("controller-1"))
                + ") from https://127.0.0.11:2380 to https://127.0.0.12:2380: controller-2 has that peer URL and is"
                + " moving too, in a circle back to https://127.0.0.11:2380"), refused::describe);
        String way = "1. controller-1 to a free address (not 127.0.0.11 or 127.0.0.12) and controller-2 back to"
                + " 127.0.0.12; 2. controller-2 to 127.0.0.11; 3. controller-1 to 127.0.0.12";
        assertTrue(refused.output().contains(way), refused::describe);
        assertEquals(peerUrls(membersBefore), peerUrls(members(etcdctl, client, clientUrls(before))),
                "the refused reconcile changed no membership");

        // the way round, as the message says, with 127.0.0.111 as the free address
        RenderedCluster step1 = render(work, "step-1", "10.240.0.111", "10.240.0.12");
        RenderedCluster step2 = render(work, "step-2", "10.240.0.111", "10.240.0.11");
        moveOne(before, step1, "controller-1", roots, etcd, etcdctl, openssl, ca);
        moveOne(step1, step2, "controller-2", roots, etcd, etcdctl, openssl, ca);
        moveOne(step2, swapped, "controller-1", roots, etcd, etcdctl, openssl, ca);

        Map<String, JsonNode> membersAfter = members(etcdctl, client, clientUrls(swapped));
        assertEquals(CONTROLLERS, List.copyOf(membersAfter.keySet()), membersAfter::toString);
        for (String controller : CONTROLLERS) {
            assertEquals(hexId(membersBefore.get(controller)), hexId(membersAfter.get(controller)),
                    controller + " is the same member, its ID kept");
        }
        assertEquals("[\"https://127.0.0.12:2380\"]", membersAfter.get("controller-1").path("peerURLs").toString());
        assertEquals("[\"https://127.0.0.11:2380\"]", membersAfter.get("controller-2").path("peerURLs").toString());
        for (String endpoint : clientUrls(swapped).split(",")) {
            ProcessRun get = ctl(etcdctl, client, endpoint, "get", "/hardway/before-the-swap", "--print-value-only");
            assertTrue(get.succeeded(), get::describe);
            assertEquals("kept", get.output().strip(), endpoint + " serves the data written before the swap");
        }
        assertNothingLeftToDo(roots);
    }

    /**
     * A member added but never started (etcd lists it with no name, "unstarted") at the peer URL the moved
     * controller-1 is listed at: bootstrap adds no second member for a started name, and a move is one member
     * update, so it is nobody's pending join (here it is added by hand, as {@code etcdctl member add} by an
     * operator would). It counts toward the quorum without serving and keeps controller-1 from moving there, so
     * reconcile removes it, says what it was, and finishes the move. Installed in the order that keeps a quorum
     * throughout: another controller first (controller-1's etcd still runs at its old address), then controller-1.
     */
    @Test
    void reconcile_unstartedMemberAtMovedControllersNewPeerUrl_removedAsWhatItIs_thenTheMoveFinished(
            @TempDir Path work) throws IOException {
        RenderedCluster before = render(work, "before", "10.240.0.11", "10.240.0.12");
        RenderedCluster after = render(work, "after", "10.240.0.111", "10.240.0.12");
        Started started = started(work, before, "/hardway/before-the-move");
        Path etcd = started.etcd();
        Path etcdctl = started.etcdctl();
        Path openssl = started.openssl();
        Path ca = started.ca();
        Map<String, Path> roots = started.roots();
        Path client = roots.get("controller-0");
        Map<String, JsonNode> membersBefore = started.members();

        // etcd refuses an add until its members have been connected a while (its strict reconfiguration check)
        ProcessRun[] add = {null};
        boolean added = Poll.until(HEALTH_LIMIT, Duration.ofSeconds(1), () -> {
            add[0] = ctl(etcdctl, client, clientUrls(before), "member", "add", "controller-1",
                    "--peer-urls=https://127.0.0.111:2380");
            return add[0].succeeded() || !add[0].output().contains("unhealthy cluster");
        });
        assertTrue(added && add[0].succeeded(), add[0]::describe);
        JsonNode unstarted = members(etcdctl, client, clientUrls(before)).get("");
        assertTrue(unstarted != null, "etcd lists the added member with an empty name until it starts");
        String unstartedId = hexId(unstarted);
        // what the script reads: etcdctl's simple output, where a member with no name is "unstarted"
        ProcessRun list = ctl(etcdctl, client, clientUrls(before), "member", "list");
        assertTrue(list.output().contains(unstartedId + ", unstarted, , https://127.0.0.111:2380, , false"),
                list::describe);

        // controller-1's etcd started at its new address with an empty data directory (a host rebuilt): the
        // unstarted member there is not its own, as controller-1's member is started; say what to remove, rather
        // than start as it (an initial cluster naming controller-1 twice)
        Path rebuilt = Files.createDirectories(work.resolve("roots").resolve("controller-1-rebuilt"));
        install(after, "controller-1", rebuilt, etcdctl);
        issue(openssl, ca, "controller-1", "127.0.0.111", rebuilt);
        ProcessRun empty = script(rebuilt, "bootstrap", "controller-1", rebuilt.resolve("run/etcd/bootstrap.env"));
        assertFalse(empty.succeeded(), empty::describe);
        assertTrue(empty.output().contains("the cluster knows controller-1 as a started member at"
                + " https://127.0.0.11:2380, but " + under(rebuilt, "/var/lib/etcd") + " is empty: remove it first"
                + " (etcdctl member remove " + hexId(membersBefore.get("controller-1")) + ")"), empty::describe);

        for (String controller : List.of("controller-0", "controller-2")) {
            install(after, controller, roots.get(controller), etcdctl);
        }
        ProcessRun reconcile = script(client, "reconcile", "controller-0");
        assertTrue(reconcile.succeeded(), reconcile::describe);
        assertTrue(reconcile.output().contains("removing the added member that never started (" + unstartedId
                + ", no name yet, at https://127.0.0.111:2380): " + under(client, MEMBERS_FILE)
                + " lists controller-1 there, but controller-1's member is "
                + hexId(membersBefore.get("controller-1")) + " at https://127.0.0.11:2380"), reconcile::describe);
        assertTrue(reconcile.output().contains("moving controller-1"), reconcile::describe);
        assertFalse(reconcile.output().contains("removing controller-"), reconcile::describe);
        Map<String, JsonNode> moved = members(etcdctl, client, clientUrls(before));
        assertEquals(CONTROLLERS, List.copyOf(moved.keySet()), "only the unstarted member removed\n"
                + reconcile.describe());
        assertEquals(hexId(membersBefore.get("controller-1")), hexId(moved.get("controller-1")));
        assertEquals("[\"https://127.0.0.111:2380\"]", moved.get("controller-1").path("peerURLs").toString());

        // controller-1's own bundle: its etcd restarts on the new address, with its data
        stop("controller-1");
        install(after, "controller-1", roots.get("controller-1"), etcdctl);
        issue(openssl, ca, "controller-1", address(after, "controller-1"), roots.get("controller-1"));
        start(etcd, after, "controller-1", roots.get("controller-1"));
        awaitHealthy(etcdctl, client, clientUrls(after));
        ProcessRun get = ctl(etcdctl, client, "https://127.0.0.111:2379", "get", "/hardway/before-the-move",
                "--print-value-only");
        assertTrue(get.succeeded(), get::describe);
        assertEquals("kept", get.output().strip(), "the moved member serves the data it had");
        assertNothingLeftToDo(roots);
    }

    /** Every controller's bootstrap and start with {@code cluster}'s files, all healthy: the roots by controller. */
    /** The tools, the CA and three members started from {@code before}, with their members and a key written. */
    private record Started(Path etcd, Path etcdctl, Path openssl, Path ca, Map<String, Path> roots,
                           Map<String, JsonNode> members) {
    }

    private Started started(Path work, RenderedCluster before, String key) throws IOException {
        Path etcd = ToolLookup.debian13("etcd");
        Path etcdctl = ToolLookup.debian13("etcdctl");
        Path openssl = ToolLookup.tool("openssl");
        Path ca = certificateAuthority(openssl, work.resolve("ca"));
        Map<String, Path> roots = startCluster(work, before, etcd, etcdctl, openssl, ca);
        Path client = roots.get("controller-0");
        Map<String, JsonNode> members = members(etcdctl, client, clientUrls(before));
        ProcessRun put = ctl(etcdctl, client, clientUrls(before), "put", key, "kept");
        assertTrue(put.succeeded(), put::describe);
        return new Started(etcd, etcdctl, openssl, ca, roots, members);
    }

    private Map<String, Path> startCluster(Path work, RenderedCluster cluster, Path etcd, Path etcdctl, Path openssl,
                                           Path ca) throws IOException {
        assertEquals("3.5", cluster.cluster().release().etcdVersion().substring(0, 3), "this machine's etcd is 3.5");
        Map<String, Path> roots = new TreeMap<>();
        for (String controller : CONTROLLERS) {
            Path root = Files.createDirectories(work.resolve("roots").resolve(controller));
            roots.put(controller, root);
            install(cluster, controller, root, etcdctl);
            issue(openssl, ca, controller, address(cluster, controller), root);
        }
        // each member's bootstrap, as etcd.service's ExecStartPre: nobody answers yet, so every one starts "new"
        for (String controller : CONTROLLERS) {
            ProcessRun bootstrap = script(roots.get(controller), "bootstrap", controller,
                    roots.get(controller).resolve("run/etcd/bootstrap.env"));
            assertTrue(bootstrap.succeeded(), bootstrap::describe);
        }
        for (String controller : CONTROLLERS) {
            start(etcd, cluster, controller, roots.get(controller));
        }
        awaitHealthy(etcdctl, roots.get("controller-0"), clientUrls(cluster));
        Map<String, JsonNode> members = members(etcdctl, roots.get("controller-0"), clientUrls(cluster));
        assertEquals(CONTROLLERS, List.copyOf(members.keySet()), members::toString);
        return roots;
    }

    /**
     * One step of an address change from {@code from} to {@code to}, where only {@code moved}'s address differs:
     * the moved controller's bundle restarts its etcd on its new address with its data, every controller gets the
     * new files, and controller-0's hardway-etcd-members moves that one member (and changes nothing else).
     */
    private void moveOne(RenderedCluster from, RenderedCluster to, String moved, Map<String, Path> roots, Path etcd,
                         Path etcdctl, Path openssl, Path ca) throws IOException {
        for (String controller : CONTROLLERS) {
            assertEquals(controller.equals(moved), !address(from, controller).equals(address(to, controller)),
                    "one controller moves per step: " + controller);
        }
        Path client = roots.get("controller-0");
        String id = hexId(members(etcdctl, client, clientUrls(from)).get(moved));
        stop(moved);
        for (String controller : CONTROLLERS) {
            install(to, controller, roots.get(controller), etcdctl);
        }
        issue(openssl, ca, moved, address(to, moved), roots.get(moved));
        start(etcd, to, moved, roots.get(moved));
        ProcessRun reconcile = script(client, "reconcile", "controller-0");
        String logged = reconcile.describe() + "\n--- " + moved + "'s etcd\n" + tail(logs.get(logs.size() - 1));
        assertTrue(reconcile.succeeded(), logged);
        assertTrue(reconcile.output().contains("moving " + moved + " (" + id + ") from https://" + address(from, moved)
                + ":2380 to https://" + address(to, moved) + ":2380"), logged);
        assertEquals(1, reconcile.output().split("moving controller-", -1).length - 1, "one move\n" + logged);
        assertFalse(reconcile.output().contains("etcd-membership: removing"), logged);
        awaitHealthy(etcdctl, client, clientUrls(to));
    }

    /** The other controllers' runs of the same unit, and the moved ones': nothing left to do. */
    private static void assertNothingLeftToDo(Map<String, Path> roots) {
        for (String controller : List.of("controller-2", "controller-1")) {
            ProcessRun again = script(roots.get(controller), "reconcile", controller);
            assertTrue(again.succeeded(), again::describe);
            assertTrue(again.output().contains("members match"), again::describe);
            assertFalse(again.output().contains("etcd-membership: moving")
                    || again.output().contains("etcd-membership: removing"), again::describe);
        }
    }

    /** A member's ID as etcdctl's simple output and the script's messages spell it (JSON gives it in decimal). */
    private static String hexId(JsonNode member) {
        return new BigInteger(member.path("ID").asText()).toString(16);
    }

    private static Map<String, String> peerUrls(Map<String, JsonNode> members) {
        Map<String, String> out = new TreeMap<>();
        members.forEach((name, m) -> out.put(name, m.path("peerURLs").toString()));
        return out;
    }

    /** A cluster of three controllers, controller-1 and -2 at the addresses given, at an etcd 3.5 minor. */
    private static RenderedCluster render(Path work, String name, String controller1Ip, String controller2Ip)
            throws IOException {
        String yaml = TestClusters.yamlUpToControllers("moved", "1.33.5") + """
                  - name: controller-0
                    internalIp: 10.240.0.10
                  - name: controller-1
                    internalIp: %s
                  - name: controller-2
                    internalIp: %s
                workers:
                  - name: worker-0
                    internalIp: 10.240.0.20
                    podCidr: 10.200.0.0/24
                pki:
                  keyAlgorithm: ECDSA
                """.formatted(controller1Ip, controller2Ip);
        Path spec = Files.writeString(Files.createDirectories(work.resolve(name)).resolve("cluster.yaml"), yaml);
        return Hardway.render(TestClusters.request(spec, work.resolve(name).resolve("pki")).build());
    }

    private static String address(RenderedCluster cluster, String controller) {
        return loopback(cluster.cluster().controllers().stream().filter(c -> c.name().equals(controller))
                .findFirst().orElseThrow().internalIp());
    }

    /** The generator's 10.240.0.N as 127.0.0.N: the only addresses this test listens on. */
    private static String loopback(String text) {
        return text.replace("10.240.0.", "127.0.0.");
    }

    /** The members file and the membership script of {@code controller}, in its root, adjusted as the class says. */
    private static void install(RenderedCluster cluster, String controller, Path root, Path etcdctl)
            throws IOException {
        String members = loopback(cluster.bundle(controller).file(MEMBERS_FILE).text());
        assertFalse(members.contains("10.240.0."), members);
        write(root, MEMBERS_FILE, members);
        String generated = cluster.bundle(controller).file(SCRIPT_PATH).text();
        String adjusted = generated
                .replace("members=" + MEMBERS_FILE + "\n", "members=" + under(root, MEMBERS_FILE) + "\n")
                .replace("data_dir=/var/lib/etcd\n", "data_dir=" + under(root, "/var/lib/etcd") + "\n")
                .replace("etcdctl=/usr/local/bin/etcdctl\n", "etcdctl=" + etcdctl + "\n")
                .replace("=" + ETCD_PKI, "=" + under(root, ETCD_PKI) + "/");
        List<String> was = generated.lines().toList();
        List<String> is = adjusted.lines().toList();
        assertEquals(was.size(), is.size());
        int changed = 0;
        for (int i = 0; i < was.size(); i++) {
            changed += was.get(i).equals(is.get(i)) ? 0 : 1;
        }
        assertEquals(5, changed, "only the members file, data directory, etcdctl and TLS paths are adjusted:\n"
                + adjusted);
        Path script = write(root, SCRIPT_PATH, adjusted);
        assertTrue(script.toFile().setExecutable(true));
        Files.createDirectories(root.resolve("run/etcd"));
    }

    private static Path write(Path root, String absolute, String text) throws IOException {
        Path file = Path.of(under(root, absolute));
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static String under(Path root, String absolute) {
        return SystemdUnit.under(root, absolute);
    }

    private static ProcessRun script(Path root, Object... args) {
        return ProcessRun.run(SCRIPT, argv("sh", under(root, SCRIPT_PATH), argv(args)));
    }

    /** Starts the member with its generated etcd.service flags and the environment its bootstrap wrote. */
    private void start(Path etcd, RenderedCluster cluster, String controller, Path root) throws IOException {
        Path unitFile = root.resolve("etcd.service");
        Files.writeString(unitFile, cluster.bundle(controller).file("/etc/systemd/system/etcd.service").text());
        String address = address(cluster, controller);
        List<String> command = new ArrayList<>(List.of(etcd.toString()));
        for (String arg : SystemdUnit.read(unitFile).argumentsUnder(root)) {
            command.add(arg.startsWith("--listen-metrics-urls=http://127.0.0.1:")
                    ? arg.replace("127.0.0.1:", address + ":") : loopback(arg));
        }
        command.forEach(a -> assertFalse(a.contains("10.240.0."), a));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Path env = root.resolve("run/etcd/bootstrap.env");
        for (String line : Files.readAllLines(env)) {
            if (!line.startsWith("#") && line.contains("=")) {
                pb.environment().put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        Path log = root.resolve("etcd-" + logs.size() + ".log");
        logs.add(log);
        pb.redirectOutput(log.toFile());
        running.put(controller, pb.start());
    }

    private void stop(String controller) {
        Process process = running.remove(controller);
        if (process == null) {
            return;
        }
        try {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path certificateAuthority(Path openssl, Path dir) throws IOException {
        Files.createDirectories(dir);
        ProcessRun.ok(CALL, argv(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", dir.resolve("ca.key"), "-out", dir.resolve("ca.crt"), "-days", "1",
                "-subj", "/CN=test-etcd-ca"));
        return dir;
    }

    /** The member's server and peer certificate (one, as both have server and client usage) and the CA's. */
    private static void issue(Path openssl, Path ca, String controller, String address, Path root) throws IOException {
        Path pki = Files.createDirectories(Path.of(under(root, ETCD_PKI)));
        Path ext = Files.writeString(pki.resolve("ext.cnf"), "subjectAltName=DNS:" + controller
                + ",DNS:localhost,IP:" + address + ",IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\n");
        ProcessRun.ok(CALL, argv(openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", pki.resolve("server.key"), "-out", pki.resolve("server.csr"), "-subj", "/CN=" + controller));
        ProcessRun.ok(CALL, argv(openssl, "x509", "-req", "-in", pki.resolve("server.csr"), "-CA",
                ca.resolve("ca.crt"), "-CAkey", ca.resolve("ca.key"), "-CAcreateserial", "-days", "1", "-extfile",
                ext, "-out", pki.resolve("server.crt")));
        Files.copy(ca.resolve("ca.crt"), pki.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.resolve("server.crt"), pki.resolve("peer.crt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.resolve("server.key"), pki.resolve("peer.key"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static String clientUrls(RenderedCluster cluster) {
        return String.join(",", CONTROLLERS.stream().map(c -> "https://" + address(cluster, c) + ":2379").toList());
    }

    private static ProcessRun ctl(Path etcdctl, Path root, String endpoints, String... args) {
        return ProcessRun.run(CALL, argv(etcdctl, "--endpoints=" + endpoints,
                "--cacert=" + under(root, ETCD_PKI + "ca.crt"), "--cert=" + under(root, ETCD_PKI + "server.crt"),
                "--key=" + under(root, ETCD_PKI + "server.key"), "--dial-timeout=2s", "--command-timeout=5s",
                List.of(args)));
    }

    /** The cluster's members by name, in name order. */
    private static Map<String, JsonNode> members(Path etcdctl, Path root, String endpoints) throws IOException {
        ProcessRun list = ctl(etcdctl, root, endpoints, "member", "list", "-w", "json");
        assertTrue(list.succeeded(), list::describe);
        Map<String, JsonNode> byName = new TreeMap<>();
        JSON.readTree(list.output()).path("members").forEach(m -> byName.put(m.path("name").asText(), m));
        return byName;
    }

    /** Polls {@code endpoint health} of every endpoint until all answer healthy, within {@link #HEALTH_LIMIT}. */
    private void awaitHealthy(Path etcdctl, Path root, String endpoints) throws IOException {
        ProcessRun[] last = {null};
        if (Poll.until(HEALTH_LIMIT, Duration.ofMillis(500), () -> {
            last[0] = ctl(etcdctl, root, endpoints, "endpoint", "health");
            return last[0].succeeded();
        })) {
            return;
        }
        StringBuilder why = new StringBuilder("not all of " + endpoints + " healthy within "
                + HEALTH_LIMIT.toSeconds() + " s\n" + (last[0] == null ? "" : last[0].describe()));
        for (Path log : logs) {
            why.append("\n--- ").append(log).append('\n').append(tail(log));
        }
        fail(why.toString());
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}

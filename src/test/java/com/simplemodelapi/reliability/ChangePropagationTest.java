package com.simplemodelapi.reliability;

import com.simplemodelapi.app.SimpleModelApiApplication;
import com.simplemodelapi.cli.CliTest;
import com.simplemodelapi.cli.InProcessCli;
import com.simplemodelapi.reliability.Http.Reply;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.PrometheusText;
import com.simplemodelapi.testing.ServerProcess;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static com.simplemodelapi.testing.Poll.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change made with the CLI reaches every replica at once: two servers on one database, each refreshing on its own
 * schedule only once an hour, so only the notification each hears can explain a change served within
 * {@link #AT_ONCE}; nobody calls {@code /tasks/refresh}. The servers run as processes of their own, as replicas do,
 * and the CLI in this JVM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangePropagationTest {
    /** The promise: every replica refuses, or stops serving, within this time of the CLI's commit. */
    private static final Duration AT_ONCE = Duration.ofSeconds(2);
    private static final String ZEROES = "{\"inputs\": {\"x1\": 0, \"x2\": 0}}";

    @TempDir
    static Path temp;

    private static String database;
    private static TestData data;
    private static List<ServerProcess> servers;
    private static final Http http = new Http();

    @BeforeAll
    static void twoServers() throws Exception {
        database = TestPostgres.newMigratedDatabase();
        data = new TestData(database);
        List<CompletableFuture<ServerProcess>> starting = List.of(start("one"), start("two"));
        servers = starting.stream().map(CompletableFuture::join).toList();
    }

    private static CompletableFuture<ServerProcess> start(String name) {
        Map<String, String> env = Map.of("DATABASE_URL", database, "DATABASE_USER", TestPostgres.USER,
                "AUDIT_LOG", temp.resolve(name + "-audit.log").toString(), "REFRESH_INTERVAL", "1h");
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ServerProcess.start(env);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    static void stopServers() throws InterruptedException {
        if (servers != null) {
            for (ServerProcess server : servers) {
                server.close();
            }
        }
    }

    @Test
    @Order(1)
    void aRevokedKeyADisabledUserAndARetiredVersionAreRefusedByBothServersWithinTwoSeconds() {
        String revoked = data.user("rex");
        String kept = data.access().addKey("rex").key();
        String disabled = data.user("dot");
        data.linearModel("steered", 1.0);
        data.linearModel("steered", 2.0);
        data.grant("rex", "steered");
        data.grant("dot", "steered");
        // Those changes were notified too; wait for them as long as it takes, so that only the CLI's count below.
        everyServer(PATIENCE, server -> predictPinned(server, kept, 2).status() == 200
                && predictPinned(server, disabled, 2).status() == 200, "both users served version 2");

        cliWithInput(revoked + "\n", "keys", "revoke", "--key", "-");
        everyServer(AT_ONCE, server -> me(server, revoked).status() == 401, "the revoked key refused");
        everyServer(AT_ONCE, server -> me(server, kept).status() == 200, "the same user's other key still served");

        cli("users", "disable", "--name", "dot");
        everyServer(AT_ONCE, server -> me(server, disabled).status() == 401, "the disabled user's key refused");

        cli("models", "retire", "--name", "steered", "--version", "2");
        everyServer(AT_ONCE, server -> {
            Reply pinned = predictPinned(server, kept, 2);
            return pinned.status() == 404 && pinned.body().contains("is retired");
        }, "version 2 refused as retired");
        for (ServerProcess server : servers) {
            Reply latest = predictLatest(server, kept);
            assertThat(latest.status()).as(latest.body()).isEqualTo(200);
            assertThat(latest.json().get("version").asInt()).as("the latest is the newest not retired").isEqualTo(1);
        }
    }

    @Test
    @Order(2)
    void aListenerWhoseConnectionIsKilledReconnectsCountsItRefreshesAndStillHearsChanges() {
        String first = data.user("kim");
        String second = data.access().addKey("kim").key();
        everyServer(PATIENCE, server -> me(server, first).status() == 200 && me(server, second).status() == 200,
                "both of kim's keys served");
        List<Integer> killed = listenerPids();
        assertThat(killed).as("one listening connection per server").hasSize(2);

        data.jdbi().useHandle(h -> h.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE application_name = ? AND datname = current_database()",
                SimpleModelApiApplication.LISTENER_NAME));
        // Most likely made while nobody listens: only the refresh after reconnecting can bring it.
        cliWithInput(first + "\n", "keys", "revoke", "--key", "-");

        everyServer(PATIENCE, server -> reconnects(server) >= 1, "the reconnect counted in the metric");
        Poll.until(PATIENCE, ChangePropagationTest::listenerPids,
                pids -> pids.size() == 2 && pids.stream().noneMatch(killed::contains), "two new listening connections");
        everyServer(PATIENCE, server -> me(server, first).status() == 401,
                "the key revoked around the reconnect refused, with no refresh called");
        for (ServerProcess server : servers) {
            assertThat(server.output()).contains("Lost the connection that listens for operators' changes")
                    .contains("Listening for operators' changes again");
            assertThat(connected(server)).isEqualTo(1.0);
        }

        cliWithInput(second + "\n", "keys", "revoke", "--key", "-");
        everyServer(AT_ONCE, server -> me(server, second).status() == 401, "a change after the reconnect heard");
    }

    private static void cli(String... args) {
        cliWithInput("", args);
    }

    /** The CLI with this standard input: a key to revoke is read from there, never from the command line. */
    private static void cliWithInput(String stdin, String... args) {
        CliTest.Run run = InProcessCli.runWithInput(Map.of("DATABASE_URL", database, "DATABASE_USER",
                TestPostgres.USER, "AUDIT_LOG", temp.resolve("cli-audit.log").toString()), stdin, args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    /** Waits until every server fits; fails saying what each last answered when one does not within the limit. */
    private static void everyServer(Duration limit, Function<ServerProcess, Boolean> fits, String what) {
        Poll.until(limit, () -> servers.stream().map(fits).toList(), all -> !all.contains(false),
                what + " (true or false per server)");
    }

    private static List<Integer> listenerPids() {
        return data.jdbi().withHandle(h -> h.createQuery("SELECT pid FROM pg_stat_activity"
                        + " WHERE application_name = ? AND datname = current_database()")
                .bind(0, SimpleModelApiApplication.LISTENER_NAME).mapTo(Integer.class).list());
    }

    private static double reconnects(ServerProcess server) {
        return prometheus(server).value("sma_catalog_listener_reconnects_total");
    }

    private static double connected(ServerProcess server) {
        return prometheus(server).value("sma_catalog_listener_connected");
    }

    private static PrometheusText prometheus(ServerProcess server) {
        return PrometheusText.parse(http.get("http://localhost:" + server.adminPort() + "/prometheus").body());
    }

    private static Reply me(ServerProcess server, String key) {
        return http.get("http://localhost:" + server.port() + "/v1/me", key);
    }

    private static Reply predictPinned(ServerProcess server, String key, int version) {
        return http.post("http://localhost:" + server.port() + "/v1/models/steered/versions/" + version + "/predict",
                key, ZEROES);
    }

    private static Reply predictLatest(ServerProcess server, String key) {
        return http.post("http://localhost:" + server.port() + "/v1/models/steered/predict", key, ZEROES);
    }
}

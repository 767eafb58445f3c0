package com.simplemodelapi.reliability;

import com.simplemodelapi.testing.Poll;
import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.app.PostgresWaiter;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.cli.CliTest;
import com.simplemodelapi.reliability.Http.Reply;
import com.simplemodelapi.testing.LogCapture;
import com.simplemodelapi.testing.RestartablePostgres;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static com.simplemodelapi.testing.Poll.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

/** The server starts before PostgreSQL: it waits, saying so at each try, and gives up cleanly after the timeout. */
class PostgresAtStartTest {
    @TempDir
    Path temp;

    @Test
    void waitsForPostgresLoggingEachTryAndComesUpHealthyOnceItAppears() throws Exception {
        DropwizardTestSupport<SimpleModelApiConfiguration> app = null;
        try (RestartablePostgres postgres = RestartablePostgres.startIn(temp.resolve("postgres"));
             LogCapture logs = LogCapture.start()) {
            postgres.stop();
            // However long the test takes to see the tries, the server must not give up on PostgreSQL meanwhile.
            app = TestApp.support(postgres.jdbcUrl(), temp.resolve("audit.log"),
                    ConfigOverride.config("database.startupTimeout", "10m"));
            DropwizardTestSupport<SimpleModelApiConfiguration> starting = app;
            CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
                try {
                    starting.before();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            Poll.until(PATIENCE, () -> logs.of(PostgresWaiter.class).size(), tries -> tries >= 3,
                    "three tries logged while PostgreSQL is down");
            assertThat(started).as("the server waits while PostgreSQL is down").isNotDone();

            postgres.start();
            started.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

            Reply health = new Http().get("http://localhost:" + app.getAdminPort() + "/healthcheck");
            assertThat(health.status()).as(health.body()).isEqualTo(200);
            JsonNode checks = health.json();
            assertThat(checks.get("postgres").get("healthy").asBoolean()).isTrue();
            assertThat(checks.get("models").get("healthy").asBoolean()).isTrue();

            List<String> tries = logs.of(PostgresWaiter.class).stream().map(LogCapture.Line::message).toList();
            int failed = tries.size() - 1;
            assertThat(failed).isGreaterThanOrEqualTo(3);
            IntStream.rangeClosed(1, failed).forEach(attempt -> assertThat(tries.get(attempt - 1))
                    .startsWith("PostgreSQL is not ready (attempt " + attempt + ": ")
                    .contains("refused").contains("retrying in"));
            // Up within seconds of PostgreSQL appearing, however long the wait was: the pause grows to 5 s at most.
            assertThat(tries.subList(0, failed)).extracting(PostgresAtStartTest::pauseMillis)
                    .startsWith(250L, 500L, 1_000L).allMatch(pause -> pause <= 5_000L);
            assertThat(tries.get(failed)).isEqualTo("PostgreSQL is up after " + (failed + 1) + " attempts");
            assertThat(logs.all()).as("waiting is no error").noneMatch(LogCapture.Line::hasStackTrace);
        } finally {
            if (app != null) {
                app.after();
            }
        }
    }

    @Test
    void givesUpAfterTheStartupTimeoutWithOneLineAndANonZeroExit() throws IOException {
        String url = "jdbc:postgresql://localhost:" + portNobodyListensOn() + "/models";

        CliTest.Run run = CliTest.run(Map.of(
                "DATABASE_URL", url,
                "DATABASE_USER", TestPostgres.USER,
                "DATABASE_STARTUP_TIMEOUT", "2s",
                "PORT", "0",
                "ADMIN_PORT", "0",
                "AUDIT_LOG", temp.resolve("audit.log").toString()), "server");

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.errorLine()).as(run.toString())
                .startsWith("error: PostgreSQL at " + url + " did not accept connections within 2 seconds: ")
                .contains("refused");
        String output = run.stdout() + run.stderr();
        assertThat(output).as("no stack trace").doesNotContainPattern("(?m)^\\s+at ")
                .doesNotContain("Exception");
        assertThat(run.stderr()).as("each try logged").contains("PostgreSQL is not ready (attempt 1: ");
    }

    /** The pause a "not ready" line announces ("... retrying in 500 ms"). */
    private static long pauseMillis(String notReady) {
        Matcher pause = Pattern.compile("retrying in (\\d+) ms$").matcher(notReady);
        assertThat(pause.find()).as(notReady).isTrue();
        return Long.parseLong(pause.group(1));
    }

    private static int portNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

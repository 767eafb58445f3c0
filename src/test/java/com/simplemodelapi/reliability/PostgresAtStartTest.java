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
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

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
            app = TestApp.support(postgres.jdbcUrl(), temp.resolve("audit.log"));
            DropwizardTestSupport<SimpleModelApiConfiguration> starting = app;
            CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
                try {
                    starting.before();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            Poll.until(Duration.ofSeconds(30), () -> logs.of(PostgresWaiter.class).size(), tries -> tries >= 3,
                    "three tries logged while PostgreSQL is down");
            assertThat(started).as("the server waits while PostgreSQL is down").isNotDone();

            postgres.start();
            long appeared = System.nanoTime();
            started.get(60, TimeUnit.SECONDS);
            long upMillis = (System.nanoTime() - appeared) / 1_000_000;

            // The pause between tries grows to at most 5 s; the rest is the start itself (migrations, Jetty).
            assertThat(upMillis).as("up within seconds of PostgreSQL appearing").isLessThan(20_000);
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

    private static int portNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

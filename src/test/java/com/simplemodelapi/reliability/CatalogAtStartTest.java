package com.simplemodelapi.reliability;

import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.testing.FreePort;
import com.simplemodelapi.testing.LogCapture;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.jersey.DropwizardResourceConfig;
import io.dropwizard.testing.DropwizardTestSupport;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The catalog's first load runs in the background while Jersey starts (see {@code FirstLoadWait}); the server must
 * still answer no request before the catalog is there, and must not start without it.
 */
class CatalogAtStartTest {
    @TempDir
    Path temp;

    @Test
    void jerseyStartsWhileTheCatalogLoadsAndNothingIsAnsweredBeforeTheCatalogIsThere() throws Exception {
        String database = TestPostgres.newMigratedDatabase();
        TestData data = new TestData(database);
        String key = data.user("early");
        data.linearModel("linear", 1.0);
        data.grant("early", "linear");
        int port = FreePort.next();
        DropwizardTestSupport<SimpleModelApiConfiguration> app =
                TestApp.supportOnPort(port, database, temp.resolve("audit.log"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest models = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/models"))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(1)).build();
        // The 1 s timeout stays short on purpose: the request below must get no answer, and a slower machine
        // only makes that likelier. The one sent after the start is an answer, and waits as long as it takes.
        HttpRequest modelsOnceStarted = HttpRequest.newBuilder(models, (name, value) -> true)
                .timeout(Poll.PATIENCE).build();
        try (LogCapture logs = LogCapture.start(); Handle blocker = data.jdbi().open()) {
            // The catalog's load reads the users table first; it waits here until the lock goes.
            blocker.begin();
            blocker.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
                try {
                    app.before();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            Poll.until(Poll.PATIENCE, () -> logs.of(DropwizardResourceConfig.class).size(), n -> n > 0,
                    "Jersey's resource list in the log, while the catalog's load waits");
            assertThatThrownBy(() -> client.send(models, HttpResponse.BodyHandlers.ofString()))
                    .as("no answer while the catalog is not loaded").isInstanceOf(IOException.class);
            assertThat(started).isNotDone();

            blocker.rollback();
            started.get(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS);
            HttpResponse<String> answer = client.send(modelsOnceStarted, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"linear\"");
        } finally {
            app.after();
        }
    }

    @Test
    void aServerWhoseFirstCatalogLoadFailsDoesNotStart() {
        String database = TestPostgres.newMigratedDatabase();
        // Behind the migrations' back: the schema check passes, and only the catalog's load finds the table gone.
        new TestData(database).jdbi().useHandle(handle -> handle.execute("DROP TABLE grants"));
        DropwizardTestSupport<SimpleModelApiConfiguration> app = TestApp.support(database, temp.resolve("audit.log"));
        try {
            assertThatThrownBy(app::before).hasStackTraceContaining("relation \"grants\" does not exist");
        } finally {
            app.after();
        }
    }
}

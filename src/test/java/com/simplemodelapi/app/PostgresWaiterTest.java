package com.simplemodelapi.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.simplemodelapi.common.SetupException;
import com.simplemodelapi.testing.LogCapture;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PostgresWaiterTest {

    private static DataSourceFactory database(String url) {
        DataSourceFactory database = new DataSourceFactory();
        database.setDriverClass("org.postgresql.Driver");
        database.setUrl(url);
        database.setUser(TestPostgres.USER);
        database.setPassword("");
        return database;
    }

    private static int portNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void givesUpAfterTheTimeoutNamingTheUrlAndTheTimeout() throws IOException {
        String url = "jdbc:postgresql://localhost:" + portNobodyListensOn() + "/nothing";

        long start = System.nanoTime();
        SetupException error = catchThrowableOfType(SetupException.class,
                () -> PostgresWaiter.await(database(url), Duration.seconds(1)));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(error).isNotNull();
        assertThat(error.getMessage())
                .startsWith("PostgreSQL at " + url + " did not accept connections within 1 second");
        // It retries until the timeout is used up. (How little longer it takes depends on the machine's speed.)
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(1_000L);
    }

    @Test
    void leavesUrlParametersThatMayHoldAPasswordOutOfTheMessage() throws IOException {
        String url = "jdbc:postgresql://localhost:" + portNobodyListensOn() + "/nothing";

        SetupException error = catchThrowableOfType(SetupException.class,
                () -> PostgresWaiter.await(database(url + "?user=app&password=hunter2"), Duration.milliseconds(100)));

        assertThat(error).isNotNull();
        assertThat(error.getMessage()).startsWith("PostgreSQL at " + url + " did not accept connections within")
                .doesNotContain("hunter2").doesNotContain("?");
    }

    @Test
    void returnsAtOnceWhenPostgresIsUp() {
        DataSourceFactory live = database(TestPostgres.newDatabase());
        // The waiter logs at INFO, which logback-test.xml leaves out until an application configures logging.
        Logger waiterLog = (Logger) LoggerFactory.getLogger(PostgresWaiter.class);
        Level configured = waiterLog.getLevel();
        waiterLog.setLevel(Level.INFO);
        try (LogCapture logs = LogCapture.start()) {
            assertThatCode(() -> PostgresWaiter.await(live, Duration.seconds(30))).doesNotThrowAnyException();

            // Every failed try is logged, and so is a success after one: the first try succeeded.
            assertThat(logs.of(PostgresWaiter.class)).isEmpty();
        } finally {
            waiterLog.setLevel(configured);
        }
    }

    @Test
    void triesOnceEvenWithAZeroTimeout() {
        DataSourceFactory live = database(TestPostgres.newDatabase());

        assertThatCode(() -> PostgresWaiter.await(live, Duration.seconds(0))).doesNotThrowAnyException();
    }
}

package com.simplemodelapi.app;

import com.simplemodelapi.cli.OperatorError;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.sql.SQLException;

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
        OperatorError error = catchThrowableOfType(OperatorError.class,
                () -> PostgresWaiter.await(database(url), Duration.seconds(1)));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(error).isNotNull();
        assertThat(error.getMessage())
                .startsWith("PostgreSQL at " + url + " did not accept connections within 1 second");
        // It retries until the timeout is used up, and not much longer.
        assertThat(elapsedMillis).isBetween(1_000L, 5_000L);
    }

    @Test
    void leavesUrlParametersThatMayHoldAPasswordOutOfTheMessage() throws IOException {
        String url = "jdbc:postgresql://localhost:" + portNobodyListensOn() + "/nothing";

        OperatorError error = catchThrowableOfType(OperatorError.class,
                () -> PostgresWaiter.await(database(url + "?user=app&password=hunter2"), Duration.milliseconds(100)));

        assertThat(error).isNotNull();
        assertThat(error.getMessage()).startsWith("PostgreSQL at " + url + " did not accept connections within")
                .doesNotContain("hunter2").doesNotContain("?");
    }

    @Test
    void returnsAtOnceWhenPostgresIsUp() throws SQLException {
        DataSourceFactory live = database(TestPostgres.newDatabase());
        // Loads and warms the JDBC driver so the timing below measures only the waiter.
        DriverManager.getConnection(live.getUrl(), live.getUser(), live.getPassword()).close();

        long start = System.nanoTime();
        assertThatCode(() -> PostgresWaiter.await(live, Duration.seconds(30))).doesNotThrowAnyException();
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        // The first back-off pause is 250 ms, so anything less means the first attempt succeeded.
        assertThat(elapsedMillis).isLessThan(250L);
    }

    @Test
    void triesOnceEvenWithAZeroTimeout() {
        DataSourceFactory live = database(TestPostgres.newDatabase());

        assertThatCode(() -> PostgresWaiter.await(live, Duration.seconds(0))).doesNotThrowAnyException();
    }
}

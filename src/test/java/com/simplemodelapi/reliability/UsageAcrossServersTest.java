package com.simplemodelapi.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.access.model.Limits;
import com.simplemodelapi.app.SimpleModelApiApplication;
import com.simplemodelapi.reliability.Http.Reply;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.RestartablePostgres;
import com.simplemodelapi.testing.ServerProcess;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import com.simplemodelapi.usage.dao.UsageDao;
import com.simplemodelapi.usage.dao.UsageRow;
import com.simplemodelapi.usage.service.UsageRebuild;
import io.dropwizard.jackson.Jackson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.simplemodelapi.testing.Poll.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage and quotas with two servers on one PostgreSQL, as replicas run: each a process of its own, flushing only when
 * the test says ({@code POST /tasks/usage-flush}), so that what each has seen is known at every step. The usage table
 * adds up exactly to the calls sent, across a PostgreSQL restart and a SIGTERM; a daily quota overshoots by no more
 * than one flush interval of the other server's traffic; and rebuilding from the two audit logs gives the same table.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UsageAcrossServersTest {
    private static final String ONE = "{\"inputs\": {\"x1\": 1, \"x2\": 1}}";
    private static final String TEN = "{\"instances\": [" + String.join(", ", java.util.Collections.nCopies(10,
            "{\"x1\": 1, \"x2\": 1}")) + "]}";
    private static final long QUOTA = 50;

    @TempDir
    static Path temp;

    private static RestartablePostgres postgres;
    private static TestData data;
    private static ServerProcess one;
    private static ServerProcess two;
    private static String counted;
    private static String metered;
    private static final Http http = new Http();

    @BeforeAll
    static void twoServers() throws Exception {
        postgres = RestartablePostgres.startIn(temp.resolve("postgres"));
        one = start("one");
        two = start("two");
        data = new TestData(postgres.jdbcUrl());
        data.linearModel("lin", 1.0);
        counted = data.user("counted");
        data.grant("counted", "lin");
        metered = data.user("metered");
        data.grant("metered", "lin");
        data.access().setLimits("metered", new Limits(null, null, QUOTA, null));
        for (ServerProcess server : List.of(one, two)) {
            Reply refresh = http.post(admin(server, "/tasks/refresh"));
            assertThat(refresh.status()).as(refresh.body()).isEqualTo(200);
        }
    }

    private static ServerProcess start(String name) throws Exception {
        return ServerProcess.start(Map.of("DATABASE_URL", postgres.jdbcUrl(), "DATABASE_USER", TestPostgres.USER,
                "AUDIT_LOG", auditLog(name).toString(), "REFRESH_INTERVAL", "1h", "USAGE_FLUSH_INTERVAL", "1h"));
    }

    private static Path auditLog(String name) {
        return temp.resolve(name + "-audit.log");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (ServerProcess server : new ServerProcess[] {one, two}) {
            if (server != null) {
                server.close();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static String admin(ServerProcess server, String path) {
        return "http://localhost:" + server.adminPort() + path;
    }

    private static int predict(ServerProcess server, String key, String body) {
        Reply reply = http.post("http://localhost:" + server.port() + "/v1/models/lin/predict", key, body);
        assertThat(reply.status()).as(reply.body()).isIn(200, 429);
        return reply.status();
    }

    /**
     * Flushes once the server has finished every request it took: a request is counted as it ends, just after its
     * answer was sent, so a client that has its answer cannot know it was counted until then.
     */
    private static void flush(ServerProcess server) {
        Poll.until(PATIENCE, () -> http.get(admin(server, "/metrics")).json()
                        .at("/counters/" + TestApp.ACTIVE_REQUESTS + "/count").asLong(),
                active -> active == 0, "no request in progress");
        Reply flush = http.post(admin(server, "/tasks/usage-flush"));
        assertThat(flush.status()).as(flush.body()).isEqualTo(200);
    }

    /**
     * One flush interval, as the servers' scheduled flushes make it: both write, then both read what both wrote (the
     * scheduled read waits a moment after the write for this; here the first server reads again).
     */
    private static void tick() {
        flush(one);
        flush(two);
        flush(one);
    }

    private static long stored(String user, String column) {
        return data.jdbi().withHandle(handle -> handle.createQuery("SELECT COALESCE(sum(" + column + "), 0) FROM usage"
                + " WHERE user_name = :user").bind("user", user).mapTo(Long.class).one());
    }

    @Test
    @Order(1)
    void aDailyQuotaAcrossTwoServersOvershootsByAtMostOneIntervalOfTheOtherServersTraffic() {
        tick();
        List<Integer> answers = new ArrayList<>();
        long allowed = 0;
        for (int round = 1; round <= 5; round++) {
            // Each interval, ten instances are asked of each server.
            for (ServerProcess server : List.of(one, two)) {
                int status = predict(server, metered, TEN);
                answers.add(status);
                allowed += status == 200 ? 10 : 0;
            }
            tick();
        }
        // 20 a round: after two rounds both know of 40; each lets 10 more through, unaware of the other's.
        assertThat(answers).containsExactly(200, 200, 200, 200, 200, 200, 429, 429, 429, 429);
        long overshootBound = 10;
        assertThat(allowed).isGreaterThanOrEqualTo(QUOTA).isLessThanOrEqualTo(QUOTA + overshootBound);
        assertThat(stored("metered", "instances")).isEqualTo(allowed);
        assertThat(stored("metered", "errors")).as("the 429s").isEqualTo(4);
        // A request small enough to fit is refused too: both servers know the quota is spent.
        assertThat(predict(one, metered, ONE)).isEqualTo(429);
        assertThat(predict(two, metered, ONE)).isEqualTo(429);
    }

    @Test
    @Order(2)
    void usageAddsUpExactlyAcrossAPostgresRestartAndASigterm() throws Exception {
        int sent = 0;
        for (int i = 0; i < 7; i++) {
            sent += predict(one, counted, ONE) == 200 ? 1 : 0;
        }
        for (int i = 0; i < 5; i++) {
            sent += predict(two, counted, ONE) == 200 ? 1 : 0;
        }
        flush(one);
        flush(two);
        assertThat(stored("counted", "requests")).isEqualTo(12);

        postgres.stop();
        for (int i = 0; i < 6; i++) {
            sent += predict(one, counted, ONE) == 200 ? 1 : 0;
            sent += predict(two, counted, ONE) == 200 ? 1 : 0;
        }
        Reply failed = http.post(admin(one, "/tasks/usage-flush"));
        assertThat(failed.status()).as("a flush while PostgreSQL is away").isEqualTo(500);
        assertThat(failed.body()).contains("kept");
        postgres.start();
        for (ServerProcess server : List.of(one, two)) {
            Poll.until(PATIENCE, () -> http.post(admin(server, "/tasks/usage-flush")).status(), status -> status == 200,
                    "a flush once PostgreSQL is back");
            flush(server);
        }
        assertThat(stored("counted", "requests")).isEqualTo(24);

        for (int i = 0; i < 4; i++) {
            sent += predict(one, counted, ONE) == 200 ? 1 : 0;
            sent += predict(two, counted, ONE) == 200 ? 1 : 0;
        }
        // Not flushed: only the flush at the end of a SIGTERM can write these.
        one.terminate();
        two.terminate();
        one.awaitExit(Duration.ofSeconds(90));
        two.awaitExit(Duration.ofSeconds(90));

        assertThat(sent).isEqualTo(32);
        assertThat(stored("counted", "requests")).isEqualTo(sent);
        assertThat(stored("counted", "instances")).isEqualTo(sent);
        assertThat(stored("counted", "errors")).isZero();
    }

    @Test
    @Order(3)
    void rebuildingFromBothAuditLogsGivesTheSameTableTwice() {
        List<UsageRow> counted = allRows();
        assertThat(counted).isNotEmpty();
        ObjectMapper json = SimpleModelApiApplication.configureJson(Jackson.newObjectMapper());
        UsageRebuild rebuild = new UsageRebuild(data.jdbi(), json);

        UsageRebuild.Result first = rebuild.rebuild(List.of(auditLog("one"), auditLog("two")));
        assertThat(allRows()).isEqualTo(counted);
        assertThat(first.rows()).isEqualTo(counted.size());
        assertThat(first.unreadable()).isZero();

        rebuild.rebuild(List.of(auditLog("two"), auditLog("one")));
        assertThat(allRows()).as("rebuilt again, the files the other way round").isEqualTo(counted);
    }

    private static List<UsageRow> allRows() {
        return data.jdbi().withExtension(UsageDao.class, usage -> usage.rowsBetween(Instant.EPOCH,
                Instant.parse("2100-01-01T00:00:00Z")));
    }
}

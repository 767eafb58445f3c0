package com.simplemodelapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.access.model.Limits;
import com.simplemodelapi.cli.CliTest.Run;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code users limit}, {@code usage} and {@code usage rebuild --from-audit}, as an operator runs them. */
class UsageCliTest {
    private static String databaseUrl;
    private static TestData data;
    private static Path auditLog;

    @TempDir
    static Path temp;

    @BeforeAll
    static void migratedDatabase() throws IOException {
        databaseUrl = TestPostgres.newMigratedDatabase();
        data = new TestData(databaseUrl);
        auditLog = Files.createTempFile(temp, "audit", ".log");
    }

    private static Run cli(String... args) {
        return InProcessCli.run(Map.of("DATABASE_URL", databaseUrl, "DATABASE_USER", TestPostgres.USER,
                "AUDIT_LOG", auditLog.toString()), args);
    }

    private static Run ok(String... args) {
        Run run = cli(args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    private static void assertFails(Run run, String errorStart) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.errorLine()).startsWith(errorStart);
        assertThat(run.stderr()).as("no stack trace").doesNotContainPattern("(?m)^\\s+at ");
        assertThat(run.stdout()).isBlank();
    }

    private static JsonNode json(Run run) throws IOException {
        return TestData.JSON.readTree(run.stdout());
    }

    /** An audit line as the server writes it. */
    private static String line(String ts, String user, String model, Integer version, int status, Integer instances,
                               double durationMs) {
        return ("{\"ts\":\"%s\",\"request_id\":\"r\",\"server_request_id\":\"s\",\"user\":%s,\"key_id\":1,"
                + "\"method\":\"POST\",\"path\":\"/v1/models/%s/predict\",\"status\":%d,\"duration_ms\":%s,"
                + "\"model\":%s,\"version\":%s,\"instances\":%s,\"remote_addr\":\"127.0.0.1\",\"user_agent\":null}")
                .formatted(ts, user == null ? "null" : "\"" + user + "\"", model, status, durationMs,
                        model == null ? "null" : "\"" + model + "\"", version, instances);
    }

    @Test
    void usersLimitSetsChangesAndClearsLimitsAndSaysSo() throws IOException {
        data.user("lim");
        Run set = ok("users", "limit", "--name", "lim", "--rate", "3000/min", "--burst", "100",
                "--daily-instances", "1000000");
        assertThat(set.lastStdoutLine()).isEqualTo("Limits of user 'lim' now: rate 50/s, burst 100; 1000000 instances"
                + " per UTC day. Every server enforces them within a second.");
        assertThat(data.access().limits("lim")).isEqualTo(new Limits(50.0, 100, 1_000_000L, null));

        Run more = ok("users", "limit", "--name", "lim", "--monthly-instances", "20000000", "--json");
        JsonNode now = json(more);
        assertThat(now.get("rate_per_second").asDouble()).as("kept").isEqualTo(50.0);
        assertThat(now.get("burst").asInt()).isEqualTo(100);
        assertThat(now.get("daily_instances").asLong()).isEqualTo(1_000_000);
        assertThat(now.get("monthly_instances").asLong()).isEqualTo(20_000_000);

        Run cleared = ok("users", "limit", "--name", "lim", "--clear");
        assertThat(cleared.lastStdoutLine()).startsWith("Cleared the limits of user 'lim'");
        assertThat(data.access().limits("lim")).isEqualTo(Limits.NONE);
        assertThat(ok("users", "limit", "--name", "lim", "--clear").lastStdoutLine())
                .isEqualTo("User 'lim' has no limits; nothing changed.");

        long changes = data.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM operator_changes"
                + " WHERE target = 'lim' AND command LIKE 'users limit%'").mapTo(Long.class).one());
        assertThat(changes).as("three changes, the no-op not one").isEqualTo(3);
    }

    @Test
    void usersLimitRefusesWhatItCannotTakeWithOneLine() {
        data.user("picky");
        assertFails(cli("users", "limit", "--name", "picky", "--rate", "fast"), "error: --rate takes a number");
        assertFails(cli("users", "limit", "--name", "picky", "--rate", "0/s"), "error: --rate takes a number");
        assertFails(cli("users", "limit", "--name", "picky", "--burst", "0", "--rate", "1/s"),
                "error: --burst takes a whole number from 1");
        assertFails(cli("users", "limit", "--name", "picky", "--daily-instances", "-1"),
                "error: --daily-instances takes a whole number from 0");
        assertFails(cli("users", "limit", "--name", "picky", "--burst", "5"), "error: A burst is the size of a rate");
        assertFails(cli("users", "limit", "--name", "picky"), "error: Give at least one limit");
        assertFails(cli("users", "limit", "--name", "picky", "--clear", "--rate", "1/s"), "error: --clear removes");
        assertFails(cli("users", "limit", "--name", "nobody-here", "--rate", "1/s"),
                "error: There is no user named 'nobody-here'.");
        assertThat(data.access().limits("picky")).isEqualTo(Limits.NONE);
    }

    @Test
    void rebuildRecomputesTheMinutesTheAuditFilesCoverIdempotentlyAndUsageShowsThem() throws IOException {
        Path first = temp.resolve("one-audit.log");
        Path second = temp.resolve("two-audit.log.2026-11-05.gz");
        Files.writeString(first, String.join("\n", List.of(
                line("2026-11-05T10:00:01.5Z", "reb", "m1", 1, 200, 3, 1.5),
                line("2026-11-05T10:00:59Z", "reb", "m1", 1, 200, 1, 0.5),
                line("2026-11-05T10:00:30Z", "reb", "m1", 1, 422, 2, 2.0),
                // Not counted: no user, a 404, no version.
                line("2026-11-05T10:01:00Z", null, "m1", 1, 401, null, 0.1),
                line("2026-11-05T10:01:00Z", "reb", "m1", 7, 404, null, 0.1),
                line("2026-11-05T10:01:00Z", "reb", null, null, 200, null, 0.1),
                "{\"ts\":\"2026-11-05T10:0")) + "\n");
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write((line("2026-11-05T11:30:00Z", "reb", "m2", 2, 429, 5, 0.25) + "\n"
                    + line("2026-11-05T11:30:10Z", "other", "m1", 1, 200, 4, 1.0) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        Files.write(second, gzipped.toByteArray());

        Run rebuild = ok("usage", "rebuild", "--from-audit", first.toString(), second.toString());
        assertThat(rebuild.lastStdoutLine()).isEqualTo("Rebuilt the usage of the minutes from 2026-11-05T10:00:00Z to"
                + " 2026-11-05T11:30:00Z: 4 rows for 5 requests, from 9 audit lines (1 unreadable), replacing 0 rows.");
        String table = ok("usage", "--user", "reb", "--from", "2026-11-05", "--to", "2026-11-05",
                "--granularity", "hour").stdout();
        Run again = ok("usage", "rebuild", "--from-audit", second.toString(), first.toString());
        assertThat(again.lastStdoutLine()).endsWith("replacing 4 rows.");
        assertThat(ok("usage", "--user", "reb", "--from", "2026-11-05", "--to", "2026-11-05", "--granularity",
                "hour").stdout()).as("the same after a second rebuild").isEqualTo(table);

        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).isEqualTo("Usage of user 'reb' from 2026-11-05T00:00:00Z to 2026-11-06T00:00:00Z,"
                + " by hour (UTC):");
        assertThat(words(lines.get(1))).containsExactly("START", "USER", "MODEL", "VERSION", "REQUESTS", "INSTANCES",
                "ERRORS", "MEAN_MS");
        assertThat(words(lines.get(2))).containsExactly("2026-11-05T10:00:00Z", "reb", "m1", "1", "3", "4", "1",
                "1.333");
        assertThat(words(lines.get(3))).containsExactly("2026-11-05T11:00:00Z", "reb", "m2", "2", "1", "0", "1",
                "0.25");
        assertThat(words(lines.get(4))).containsExactly("TOTAL", "-", "-", "-", "4", "4", "2", "1.063");

        JsonNode byModel = json(ok("usage", "--model", "m1", "--from", "2026-11-05", "--to", "2026-11-06", "--json"));
        assertThat(byModel.get("model").asText()).isEqualTo("m1");
        assertThat(byModel.get("buckets")).hasSize(2);
        assertThat(byModel.at("/buckets/0/user").asText()).isEqualTo("other");
        assertThat(byModel.at("/buckets/1/user").asText()).isEqualTo("reb");
        assertThat(byModel.at("/totals/requests").asLong()).isEqualTo(4);
        assertThat(byModel.at("/totals/instances").asLong()).isEqualTo(8);

        String csv = ok("usage", "--user", "reb", "--from", "2026-11-05T00:00:00Z", "--to", "2026-11-06T00:00:00Z",
                "--granularity", "minute", "--csv").stdout();
        assertThat(csv.lines().toList()).containsExactly(
                "start,user,model,version,requests,instances,errors,mean_duration_ms",
                "2026-11-05T10:00:00Z,reb,m1,1,3,4,1,1.333",
                "2026-11-05T11:30:00Z,reb,m2,2,1,0,1,0.25");
    }

    private static List<String> words(String line) {
        return new ArrayList<>(List.of(line.trim().split("\\s+")));
    }

    @Test
    void usageHelpNamesEveryOption() {
        Run help = ok("usage", "--help");
        assertThat(help.stdout()).contains("rebuild", "--user", "--model", "--from", "--to", "--granularity", "--json",
                "--csv", "--from-audit");
    }

    @Test
    void usageRefusesWhatItCannotTakeWithOneLine() {
        assertFails(cli("usage"), "error: usage takes --user NAME or --model NAME.");
        assertFails(cli("usage", "--user", "a", "--from", "last-week"), "error: 'from' takes an ISO-8601 date");
        assertFails(cli("usage", "--user", "a", "--from", "2026-01-01", "--to", "2027-06-01"),
                "error: A query covers at most 400 days");
        assertFails(cli("usage", "--user", "a", "--granularity", "minute", "--from", "2026-01-01", "--to",
                "2026-01-05"), "error: By minute, a query covers at most 2 days");
        assertFails(cli("usage", "rebuild", "--from-audit", temp.resolve("missing.log").toString()),
                "error: There is no audit file");
        assertFails(cli("usage", "--user", "a", "--from-audit", auditLog.toString()),
                "error: --from-audit goes with 'usage rebuild'.");
        assertThat(ok("usage", "--user", "nobody-called").lastStdoutLine()).isEqualTo("No calls.");
    }
}

package com.simplemodelapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.access.service.ApiKeys;
import com.simplemodelapi.changes.service.ChangeLog;
import com.simplemodelapi.cli.CliTest.Run;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The change log: every change a command makes is one row of {@code operator_changes}, written in the change's own
 * transaction (so a failed command writes none), never holding a key; {@code changes list} reads it back; and the
 * servers are notified when, and only when, a change commits.
 */
class ChangeLogCliTest {
    private static String databaseUrl;
    private static TestData data;
    private static Path auditLog;

    @TempDir
    static Path temp;

    /** A row of the change log, with its details as JSON. */
    private record Change(long id, Instant changedAt, String osUser, String command, String target, JsonNode details) {
    }

    @BeforeAll
    static void migratedDatabase() throws IOException {
        databaseUrl = TestPostgres.newMigratedDatabase();
        data = new TestData(databaseUrl);
        auditLog = Files.createTempFile(temp, "audit", ".log");
    }

    @Test
    void everySuccessfulChangeWritesExactlyOneRowSayingWhatItChangedAndNeverAKey() throws IOException {
        List<String> keys = new ArrayList<>();
        Path model = Files.writeString(temp.resolve("logged.json"), TestData.LINEAR_MODEL.formatted("logged", 1.0));

        String first = changes("users add", "lena", run -> Map.of("key_id", keyId(run.lastStdoutLine())),
                "users", "add", "--name", "lena").lastStdoutLine();
        keys.add(first);
        keys.add(changes("keys add", "lena", run -> Map.of("key_id", keyId(run.lastStdoutLine())),
                "keys", "add", "--user", "lena").lastStdoutLine());
        changes("keys revoke", "lena", run -> Map.of("key_id", keyId(first)), "keys", "revoke", "--id",
                String.valueOf(keyId(first)));
        changes("models add", "logged", run -> Map.of("version", 1, "algorithm", "linear-regression"),
                "models", "add", "--file", model.toString());
        changes("grants add", "lena", run -> Map.of("model", "logged"),
                "grants", "add", "--user", "lena", "--model", "logged");
        changes("grants remove", "lena", run -> Map.of("model", "logged"),
                "grants", "remove", "--user", "lena", "--model", "logged");
        changes("users disable", "lena", run -> Map.of(), "users", "disable", "--name", "lena");
        changes("users enable", "lena", run -> Map.of(), "users", "enable", "--name", "lena");
        changes("models retire", "logged", run -> Map.of("version", 1),
                "models", "retire", "--name", "logged", "--version", "1");
        changes("models restore", "logged", run -> Map.of("version", 1),
                "models", "restore", "--name", "logged", "--version", "1");

        List<String> everything = data.jdbi().withHandle(h -> h.createQuery("SELECT c::text FROM operator_changes c")
                .mapTo(String.class).list());
        assertThat(everything).as("no row holds a key, or anything like one").isNotEmpty()
                .noneMatch(row -> row.contains("sma_") || keys.stream().anyMatch(row::contains));
    }

    @Test
    void aFailedCommandWritesNothing() throws IOException {
        data.user("fred");
        data.linearModel("fred-model", 1.0);
        Path broken = Files.writeString(temp.resolve("broken.json"), "{\"name\": \"broken\", \"algorithm\": ");
        long before = changes().size();

        fails("users", "add", "--name", "fred");
        fails("users", "add", "--name", "no spaces allowed");
        fails("keys", "add", "--user", "nobody");
        fails("keys", "revoke", "--id", "987654321");
        fails("grants", "add", "--user", "fred", "--model", "no-such-model");
        fails("grants", "remove", "--user", "fred", "--model", "fred-model");
        fails("models", "add", "--file", broken.toString());
        fails("models", "retire", "--name", "fred-model", "--version", "2");
        fails("models", "restore", "--name", "no-such-model", "--version", "1");
        fails("users", "disable", "--name", "nobody");
        fails("users", "enable", "--name", "nobody");

        assertThat(changes()).hasSize((int) before);
    }

    @Test
    void aCommandThatFindsNothingToChangeWritesNothing() {
        data.user("nora");
        data.linearModel("nora-model", 1.0);
        data.grant("nora", "nora-model");
        data.access().disableUser("nora");
        long before = changes().size();

        succeeds("grants", "add", "--user", "nora", "--model", "nora-model");
        succeeds("users", "disable", "--name", "nora");
        succeeds("models", "restore", "--name", "nora-model", "--version", "1");
        succeeds("changes", "list");

        assertThat(changes()).hasSize((int) before);
    }

    @Test
    void serversAreNotifiedWhenAChangeCommitsAndNeverOfOneThatFailed() throws SQLException {
        data.user("nick");
        try (Connection listener = connect()) {
            try (Statement statement = listener.createStatement()) {
                statement.execute("LISTEN " + ChangeLog.CHANNEL);
            }

            fails("users", "add", "--name", "nick");
            succeeds("users", "disable", "--name", "nick");
            long disabled = changes().get(changes().size() - 1).id();

            List<String> payloads = new ArrayList<>();
            Poll.until(Poll.PATIENCE, () -> {
                payloads.addAll(notifications(listener));
                return payloads;
            }, heard -> heard.contains(String.valueOf(disabled)), "the notification of change " + disabled);
            assertThat(payloads).as("notifications arrive in commit order; the failed command sent none")
                    .containsExactly(String.valueOf(disabled));
        }
    }

    @Test
    void changesListPrintsTheNewestOldestFirstInAnAlignedTable() {
        data.user("tia");
        data.access().addKey("tia");
        data.access().disableUser("tia");
        List<Change> all = changes();
        List<Change> newest = all.subList(all.size() - 3, all.size());

        Run run = succeeds("changes", "list", "--limit", "3");

        List<String> lines = run.stdout().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).matches("ID +CHANGED_AT +OS_USER +COMMAND +TARGET +DETAILS");
        for (int i = 0; i < 3; i++) {
            Change change = newest.get(i);
            String[] cells = lines.get(i + 1).split(" {2,}");
            assertThat(cells).hasSize(6);
            assertThat(List.of(cells).subList(0, 5)).containsExactly(String.valueOf(change.id()),
                    change.changedAt().truncatedTo(ChronoUnit.SECONDS).toString(), change.osUser(), change.command(),
                    change.target());
            assertThat(readJson(cells[5])).isEqualTo(change.details());
        }
        for (String column : new String[] {"CHANGED_AT", "OS_USER", "COMMAND", "TARGET", "DETAILS"}) {
            int at = lines.get(0).indexOf(column);
            assertThat(lines.subList(1, 4)).as("column " + column + " aligned")
                    .allSatisfy(line -> assertThat(line.charAt(at - 1)).isEqualTo(' '))
                    .allSatisfy(line -> assertThat(line.charAt(at)).isNotEqualTo(' '));
        }
        assertThat(lines.get(4)).isEqualTo("(the newest 3 of " + all.size()
                + " changes; --limit or --since shows others)");
    }

    @Test
    void changesListJsonIsOneDocumentWithEveryFieldAndTheDetailsAsJson() throws IOException {
        data.user("jay");
        data.linearModel("jay-model", 1.0);
        data.grant("jay", "jay-model");
        List<Change> all = changes();

        Run run = succeeds("changes", "list", "--json", "--limit", "2");

        JsonNode document = TestData.JSON.readTree(run.stdout());
        assertThat(document.get("matching").asLong()).isEqualTo(all.size());
        JsonNode listed = document.get("changes");
        assertThat(listed).hasSize(2);
        Change grant = all.get(all.size() - 1);
        JsonNode last = listed.get(1);
        assertThat(last.get("id").asLong()).isEqualTo(grant.id());
        assertThat(Instant.parse(last.get("changed_at").asText())).isEqualTo(grant.changedAt());
        assertThat(last.get("os_user").asText()).isEqualTo(System.getProperty("user.name"));
        assertThat(last.get("command").asText()).isEqualTo("grants add");
        assertThat(last.get("target").asText()).isEqualTo("jay");
        assertThat(last.get("details")).isEqualTo(TestData.JSON.readTree("{\"model\": \"jay-model\"}"));
        assertThat(listed.get(0).get("command").asText()).isEqualTo("models add");
    }

    @Test
    void changesListSinceADateOrATime() throws IOException {
        data.user("sam");
        Change samAdded = changes().get(changes().size() - 1);

        Run fromThen = succeeds("changes", "list", "--json", "--since", samAdded.changedAt().toString());
        JsonNode listed = TestData.JSON.readTree(fromThen.stdout()).get("changes");
        assertThat(listed).isNotEmpty();
        assertThat(listed).allSatisfy(change ->
                assertThat(Instant.parse(change.get("changed_at").asText())).isAfterOrEqualTo(samAdded.changedAt()));
        assertThat(listed.get(0).get("id").asLong()).isLessThanOrEqualTo(samAdded.id());

        Run future = succeeds("changes", "list", "--since", "2999-01-01");
        assertThat(future.stdout().strip()).isEqualTo("No changes since 2999-01-01T00:00:00Z.");
        Run futureJson = succeeds("changes", "list", "--json", "--since", "2999-01-01T10:00:00+02:00");
        JsonNode none = TestData.JSON.readTree(futureJson.stdout());
        assertThat(none.get("changes")).isEmpty();
        assertThat(none.get("matching").asLong()).isZero();
    }

    @Test
    void changesListRefusesADateOrLimitItCannotReadWithOneLine() {
        assertThat(fails("changes", "list", "--since", "last tuesday").errorLine()).isEqualTo("error: --since takes a"
                + " date (2026-12-01, from midnight UTC) or a time (2026-12-01T09:30:00Z); got 'last tuesday'.");
        assertThat(fails("changes", "list", "--limit", "0").errorLine())
                .isEqualTo("error: --limit takes a whole number from 1 to 10000; got '0'.");
        assertThat(fails("changes", "list", "--limit", "many").errorLine())
                .isEqualTo("error: --limit takes a whole number from 1 to 10000; got 'many'.");
    }

    /** Runs a command that must succeed and write exactly one row, with these fields, to the change log. */
    private static Run changes(String command, String target, Function<Run, Map<String, ?>> details,
                               String... args) {
        List<Change> before = changes();
        Run run = succeeds(args);
        List<Change> added = changes().subList(before.size(), changes().size());
        assertThat(added).as("rows written by " + String.join(" ", args)).hasSize(1);
        Change change = added.get(0);
        assertThat(change.command()).isEqualTo(command);
        assertThat(change.target()).isEqualTo(target);
        assertThat(change.osUser()).isEqualTo(System.getProperty("user.name"));
        assertThat(change.details()).as(command).isEqualTo(readJson(TestData.JSON.valueToTree(details.apply(run))
                .toString()));
        return run;
    }

    private static long keyId(String key) {
        return data.jdbi().withHandle(h -> h.createQuery("SELECT id FROM api_keys WHERE key_hash = ?")
                .bind(0, ApiKeys.hash(key)).mapTo(Long.class).one());
    }

    private static List<Change> changes() {
        return data.jdbi().withHandle(h -> h.createQuery("SELECT id, changed_at, os_user, command, target,"
                        + " details::text FROM operator_changes ORDER BY id")
                .map((rs, ctx) -> new Change(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getString(4), rs.getString(5), readJson(rs.getString(6))))
                .list());
    }

    private static JsonNode readJson(String text) {
        try {
            return TestData.JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", TestPostgres.USER);
        return DriverManager.getConnection(databaseUrl, properties);
    }

    private static List<String> notifications(Connection listener) {
        try {
            PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(200);
            List<String> payloads = new ArrayList<>();
            if (received != null) {
                for (PGNotification notification : received) {
                    payloads.add(notification.getParameter());
                }
            }
            return payloads;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Run succeeds(String... args) {
        Run run = InProcessCli.run(env(), args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    private static Run fails(String... args) {
        Run run = InProcessCli.run(env(), args);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).as("no stack trace").doesNotContainPattern("(?m)^\\s+at ");
        return run;
    }

    private static Map<String, String> env() {
        return Map.of("DATABASE_URL", databaseUrl, "DATABASE_USER", TestPostgres.USER,
                "AUDIT_LOG", auditLog.toString());
    }
}

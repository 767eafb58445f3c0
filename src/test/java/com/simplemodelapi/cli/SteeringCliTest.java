package com.simplemodelapi.cli;

import com.simplemodelapi.cli.CliTest.Run;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steering without deleting: {@code users disable/enable} and {@code models retire/restore}, as an operator runs them.
 * Doing what is done already is no error: it says so, changes nothing and exits 0, as {@code grants add} does.
 */
class SteeringCliTest {
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

    @Test
    void disablingAUserKeepsTheirKeysAndGrantsAndEnablingUndoesIt() {
        data.user("dana");
        data.access().addKey("dana");
        data.linearModel("dana-model", 1.0);
        data.grant("dana", "dana-model");

        Run disable = cli("users", "disable", "--name", "dana");
        assertThat(disable.exitCode()).as(disable.toString()).isZero();
        assertThat(disable.lastStdoutLine()).isEqualTo("Disabled user 'dana': servers refuse all their keys from now"
                + " on. Their keys and grants are kept; 'users enable --name dana' lets them call again.");
        assertThat(disabled("dana")).isTrue();
        assertThat(count("SELECT count(*) FROM api_keys k JOIN users u ON u.id = k.user_id"
                + " WHERE u.name = 'dana' AND k.revoked_at IS NULL")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM grants g JOIN users u ON u.id = g.user_id WHERE u.name = 'dana'"))
                .isEqualTo(1);

        Run again = cli("users", "disable", "--name", "dana");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.lastStdoutLine()).isEqualTo("User 'dana' was already disabled; nothing changed.");

        Run enable = cli("users", "enable", "--name", "dana");
        assertThat(enable.exitCode()).as(enable.toString()).isZero();
        assertThat(enable.lastStdoutLine()).isEqualTo("Enabled user 'dana': their keys that are not revoked work"
                + " again.");
        assertThat(disabled("dana")).isFalse();

        Run enableAgain = cli("users", "enable", "--name", "dana");
        assertThat(enableAgain.exitCode()).as(enableAgain.toString()).isZero();
        assertThat(enableAgain.lastStdoutLine()).isEqualTo("User 'dana' is not disabled; nothing changed.");
    }

    @Test
    void disablingOrEnablingAnUnknownUserFailsWithOneLine() {
        for (String action : new String[] {"disable", "enable"}) {
            Run run = cli("users", action, "--name", "nobody");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.errorLine()).isEqualTo("error: There is no user named 'nobody'.");
            assertThat(run.stdout()).isBlank();
        }
    }

    @Test
    void retiringAVersionSaysWhichIsTheLatestAndRestoringBringsItBack() {
        data.linearModel("priced", 1.0);
        data.linearModel("priced", 2.0);

        Run retire = cli("models", "retire", "--name", "priced", "--version", "2");
        assertThat(retire.exitCode()).as(retire.toString()).isZero();
        assertThat(retire.lastStdoutLine()).isEqualTo("Retired priced version 2: servers no longer serve it. Its"
                + " latest is version 1.");
        assertThat(retired("priced", 2)).isTrue();
        assertThat(retired("priced", 1)).isFalse();

        Run again = cli("models", "retire", "--name", "priced", "--version", "2");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.lastStdoutLine()).isEqualTo("priced version 2 was already retired; nothing changed. Its"
                + " latest is version 1.");

        Run restore = cli("models", "restore", "--name", "priced", "--version", "2");
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restore.lastStdoutLine()).isEqualTo("Restored priced version 2: servers serve it again. Its"
                + " latest is version 2.");
        assertThat(retired("priced", 2)).isFalse();

        Run restoreAgain = cli("models", "restore", "--name", "priced", "--version", "1");
        assertThat(restoreAgain.exitCode()).as(restoreAgain.toString()).isZero();
        assertThat(restoreAgain.lastStdoutLine()).isEqualTo("priced version 1 is not retired; nothing changed. Its"
                + " latest is version 2.");
    }

    @Test
    void retiringEveryVersionSaysTheModelHasNoneLeftAndChangesNoVersion() {
        data.linearModel("lonely", 7.0);
        String before = versionRow("lonely", 1);

        Run retire = cli("models", "retire", "--name", "lonely", "--version", "1");

        assertThat(retire.exitCode()).as(retire.toString()).isZero();
        assertThat(retire.lastStdoutLine()).isEqualTo("Retired lonely version 1: servers no longer serve it. It has"
                + " no version left to serve: calls to it get 404 until one is restored or added.");
        assertThat(versionRow("lonely", 1)).as("the version itself is unchanged").isEqualTo(before);
    }

    @Test
    void anUnknownModelOrVersionOrAVersionThatIsNoNumberFailsWithOneLineAndChangesNothing() {
        data.linearModel("known", 1.0);
        data.linearModel("known", 2.0);

        assertFails(cli("models", "retire", "--name", "unknown", "--version", "1"),
                "error: There is no model named 'unknown'.");
        assertFails(cli("models", "restore", "--name", "unknown", "--version", "1"),
                "error: There is no model named 'unknown'.");
        assertFails(cli("models", "retire", "--name", "known", "--version", "3"),
                "error: Model 'known' has no version 3; its versions are 1 to 2.");
        assertFails(cli("models", "restore", "--name", "known", "--version", "0"),
                "error: Model 'known' has no version 0; its versions are 1 to 2.");
        assertFails(cli("models", "retire", "--name", "known", "--version", "two"),
                "error: --version takes a version's number, such as 2; got 'two'.");
        assertThat(count("SELECT count(*) FROM model_versions WHERE retired_at IS NOT NULL AND name = 'known'"))
                .isZero();
    }

    @Test
    void aMissingVersionOptionFailsNamingIt() {
        Run run = cli("models", "retire", "--name", "known");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).contains("argument --version is required");
    }

    @Test
    void theMainClassExitsWithOneAndOneErrorLineForAnUnknownVersion() {
        data.linearModel("single", 1.0);

        Run run = CliTest.run(env(), "models", "retire", "--name", "single", "--version", "4");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.errorLine()).isEqualTo("error: Model 'single' has no version 4; its only version is 1.");
        assertThat(run.stderr()).as("no stack trace").doesNotContainPattern("(?m)^\\s+at ");
        assertThat(run.stdout()).isBlank();
    }

    private static void assertFails(Run run, String errorLine) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.errorLine()).isEqualTo(errorLine);
        assertThat(run.stderr()).as("no stack trace").doesNotContainPattern("(?m)^\\s+at ");
        assertThat(run.stdout()).isBlank();
    }

    private static boolean disabled(String user) {
        return data.jdbi().withHandle(h -> h.createQuery("SELECT disabled_at IS NOT NULL FROM users WHERE name = ?")
                .bind(0, user).mapTo(Boolean.class).one());
    }

    private static boolean retired(String model, int version) {
        return data.jdbi().withHandle(h -> h.createQuery(
                        "SELECT retired_at IS NOT NULL FROM model_versions WHERE name = ? AND version = ?")
                .bind(0, model).bind(1, version).mapTo(Boolean.class).one());
    }

    /** Everything about a version but whether it is retired. */
    private static String versionRow(String model, int version) {
        return data.jdbi().withHandle(h -> h.createQuery("SELECT (id, name, version, description, algorithm,"
                        + " inputs::text, parameters::text, created_at)::text FROM model_versions"
                        + " WHERE name = ? AND version = ?")
                .bind(0, model).bind(1, version).mapTo(String.class).one());
    }

    private static long count(String sql) {
        return data.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static Run cli(String... args) {
        return InProcessCli.run(env(), args);
    }

    private static Map<String, String> env() {
        return Map.of("DATABASE_URL", databaseUrl, "DATABASE_USER", TestPostgres.USER,
                "AUDIT_LOG", auditLog.toString());
    }
}

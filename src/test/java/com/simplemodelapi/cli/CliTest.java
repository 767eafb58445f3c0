package com.simplemodelapi.cli;

import com.simplemodelapi.access.service.ApiKeys;
import com.simplemodelapi.testing.AppProcess;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator CLI as a user runs it: the real application's commands with the real config.yml and its settings from
 * the environment. Most tests run it in this JVM ({@link InProcessCli}); those named for the main class start it in
 * a JVM of its own, for what only a real process shows: its exit code, and what reaches its stdout and stderr.
 */
public class CliTest {
    static final Pattern KEY = Pattern.compile("^sma_[A-Za-z0-9_-]{43}$");
    private static final Pattern LOG_LINE = Pattern.compile("^(TRACE|DEBUG|INFO|WARN|ERROR)\\s+\\[.*");

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
    void usersAddPrintsTheKeyAloneOnTheLastLineAndStoresOnlyItsHash() {
        Run run = cli("users", "add", "--name", "alice");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String key = run.lastStdoutLine();
        assertThat(key).matches(KEY);
        assertThat(run.stderr()).doesNotContain(key);

        List<String> rows = data.jdbi().withHandle(h -> h.createQuery("SELECT k::text FROM api_keys k")
                .mapTo(String.class).list());
        assertThat(rows).isNotEmpty().noneMatch(row -> row.contains(key));
        String storedHash = data.jdbi().withHandle(h -> h.createQuery(
                        "SELECT k.key_hash FROM api_keys k JOIN users u ON u.id = k.user_id WHERE u.name = 'alice'")
                .mapTo(String.class).one());
        assertThat(storedHash).isEqualTo(ApiKeys.hash(key));
    }

    @Test
    void theMainClassPrintsTheKeyLastOnStdoutLogsOnlyOnStderrAndExitsZero() {
        Run run = run(env(), "users", "add", "--name", "grace");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String key = run.lastStdoutLine();
        assertThat(key).matches(KEY);
        long id = data.keyId(key);
        assertThat(run.stdout().lines()).as("stdout holds what the command prints and nothing else")
                .containsExactly("Created user 'grace' with key " + id + " (prefix " + key.substring(4, 12)
                        + "). Their API key is shown only now:", key);
        assertThat(run.stderr().lines()).as("the command's log, on stderr")
                .anyMatch(line -> LOG_LINE.matcher(line).matches());
        assertThat(run.stderr()).doesNotContain(key);
    }

    @Test
    void theMainClassExitsWithOneAndOneErrorLineWhenACommandFails() {
        data.user("hana");

        Run run = run(env(), "users", "add", "--name", "hana");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.errorLine()).startsWith("error: ").contains("'hana' already exists");
        assertThat(run.stdout()).as("nothing on stdout, not even a log line: " + run).isBlank();
    }

    @Test
    void addingAUserWhoExistsFailsWithOneErrorLine() {
        data.user("dana");

        Run run = cli("users", "add", "--name", "dana");

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.errorLine()).startsWith("error: ").contains("'dana' already exists");
        assertThat(run.stdout()).doesNotContainPattern("sma_");
        assertThat(count("SELECT count(*) FROM users WHERE name = 'dana'")).isEqualTo(1);
    }

    @Test
    void aMissingRequiredOptionFailsWithOneErrorLine() {
        Run run = cli("users", "add");

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.errorLine()).isEqualTo("error: argument --name is required; 'users add --help' shows the options.");
        assertThat(run.stdout()).doesNotContain("sma_");
    }

    @Test
    void theMainClassGivesAWrongFlagOneErrorLineAndExitsWithOne() {
        Run run = run(env(), "keys", "list", "--usr", "bob");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.errorLine()).isEqualTo("error: unrecognized arguments: '--usr'; 'keys list --help' shows"
                + " the options.");
        assertThat(run.stdout()).isBlank();
    }

    @Test
    void keysAddPrintsAnotherKey() {
        String first = data.user("bob");

        Run run = cli("keys", "add", "--user", "bob");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String second = run.lastStdoutLine();
        assertThat(second).matches(KEY).isNotEqualTo(first);
        List<String> hashes = data.jdbi().withHandle(h -> h.createQuery(
                        "SELECT k.key_hash FROM api_keys k JOIN users u ON u.id = k.user_id"
                                + " WHERE u.name = 'bob' AND k.revoked_at IS NULL")
                .mapTo(String.class).list());
        assertThat(hashes).containsExactlyInAnyOrder(ApiKeys.hash(first), ApiKeys.hash(second));
    }

    @Test
    void revokingAKeyByIdWorksOnceThenFails() {
        String key = data.user("carl");
        String other = data.access().addKey("carl").key();
        long id = data.keyId(key);

        Run revoke = cli("keys", "revoke", "--id", String.valueOf(id));
        assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
        assertThat(revoke.lastStdoutLine()).startsWith("Revoked key " + id + " (prefix " + key.substring(4, 12)
                + ") of user 'carl'");
        assertThat(revoked(key)).isTrue();
        assertThat(revoked(other)).as("the user's other key").isFalse();

        Run again = cli("keys", "revoke", "--id", String.valueOf(id));
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
        assertThat(again.errorLine()).startsWith("error: ").contains("No active key", "key " + id, "revoked at");

        Run unknown = cli("keys", "revoke", "--id", "987654321");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
        assertThat(unknown.errorLine()).isEqualTo("error: There is no key with id 987654321; 'keys list' shows the ids.");
    }

    @Test
    void revokingAKeyReadFromStandardInputWorksOnceThenFails() {
        String key = data.user("cora");

        Run revoke = InProcessCli.runWithInput(env(), key + "\n", "keys", "revoke", "--key", "-");
        assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
        assertThat(revoke.lastStdoutLine()).startsWith("Revoked key " + data.keyId(key) + " (prefix ");
        assertThat(revoke.stdout() + revoke.stderr()).doesNotContain(key);
        assertThat(revoked(key)).isTrue();

        Run again = InProcessCli.runWithInput(env(), key, "keys", "revoke", "--key", "-");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
        assertThat(again.errorLine()).startsWith("error: No active key matches");
        assertThat(again.stdout() + again.stderr()).doesNotContain(key);
    }

    @Test
    void aKeyOnTheCommandLineIsRefusedWithoutBeingRepeatedAndNothingIsRevoked() {
        String key = data.user("cyd");

        Run run = cli("keys", "revoke", "--key", key);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.errorLine()).startsWith("error: ")
                .contains("shell history", "process list", "keys revoke --id ID", "keys revoke --key -");
        assertThat(run.stdout() + run.stderr()).doesNotContain(key);
        assertThat(revoked(key)).isFalse();
    }

    @Test
    void revokingFromAnEmptyOrWrongStandardInputFails() {
        Run empty = InProcessCli.runWithInput(env(), "", "keys", "revoke", "--key", "-");
        assertThat(empty.exitCode()).as(empty.toString()).isEqualTo(1);
        assertThat(empty.errorLine()).startsWith("error: No key on standard input");

        Run wrong = InProcessCli.runWithInput(env(), "not-a-key\n", "keys", "revoke", "--key", "-");
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(1);
        assertThat(wrong.errorLine()).startsWith("error: That is not an API key");
        assertThat(wrong.stderr()).doesNotContain("not-a-key");
    }

    @Test
    void revokeNeedsAnIdOrAKeyButNotBoth() {
        Run neither = cli("keys", "revoke");
        assertThat(neither.exitCode()).as(neither.toString()).isEqualTo(1);
        assertThat(neither.errorLine()).isEqualTo("error: one of the arguments --id --key is required;"
                + " 'keys revoke --help' shows the options.");

        Run both = cli("keys", "revoke", "--id", "1", "--key", "-");
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(1);
        assertThat(both.errorLine()).startsWith("error: argument --key: not allowed with argument --id");
    }

    @Test
    void modelsAddDryRunSaysOkAndStoresNothing() throws IOException {
        Path file = write("dry.json", TestData.LINEAR_MODEL.formatted("dry", 1.0));

        Run run = cli("models", "add", "--dry-run", "--file", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout().strip()).isEqualTo("ok");
        assertThat(count("SELECT count(*) FROM model_versions WHERE name = 'dry'")).isZero();

        Run json = cli("models", "add", "--dry-run", "--json", "--file", file.toString());
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(TestData.JSON.readTree(json.stdout()).toString())
                .isEqualTo("{\"ok\":true,\"name\":\"dry\",\"next_version\":1}");
        assertThat(count("SELECT count(*) FROM model_versions WHERE name = 'dry'")).isZero();
    }

    @Test
    void modelsAddDryRunSaysWhatIsWrongAsAddWouldAndStoresNothing() throws IOException {
        Path file = write("dry-misfit.json", """
                {"name": "dry-misfit", "algorithm": "linear-regression",
                 "inputs": [{"name": "x1", "type": "number"}],
                 "parameters": {"coefficients": {"x1": 2.0, "x9": 1.0}, "intercept": 0.0}}""");

        Run dry = cli("models", "add", "--dry-run", "--file", file.toString());
        Run real = cli("models", "add", "--file", file.toString());

        assertThat(dry.exitCode()).as(dry.toString()).isEqualTo(1);
        assertThat(dry.errorLine()).isEqualTo(real.errorLine()).contains("x9");
        assertThat(dry.stdout()).isBlank();
        assertThat(count("SELECT count(*) FROM model_versions WHERE name = 'dry-misfit'")).isZero();
    }

    @Test
    void modelsAddStoresTheNextVersionEachTime() throws IOException {
        Path file = write("price.json", TestData.LINEAR_MODEL.formatted("price", 1.0));

        Run first = cli("models", "add", "--file", file.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.lastStdoutLine()).isEqualTo("price 1");

        Run second = cli("models", "add", "--file", file.toString());
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.lastStdoutLine()).isEqualTo("price 2");

        assertThat(count("SELECT count(*) FROM model_versions WHERE name = 'price'")).isEqualTo(2);
    }

    @Test
    void aModelWhoseParametersDoNotFitIsRefusedAndNothingIsStored() throws IOException {
        Path file = write("misfit.json", """
                {"name": "misfit", "algorithm": "linear-regression",
                 "inputs": [{"name": "x1", "type": "number"}],
                 "parameters": {"coefficients": {"x1": 2.0, "x9": 1.0}, "intercept": 0.0}}""");

        assertRefusedWithNothingStored(file, "x9");
    }

    @Test
    void aModelWithAnUnknownAlgorithmIsRefusedAndNothingIsStored() throws IOException {
        Path file = write("forest.json", """
                {"name": "forest", "algorithm": "random-forest",
                 "inputs": [{"name": "x1", "type": "number"}],
                 "parameters": {"trees": []}}""");

        assertRefusedWithNothingStored(file, "random-forest");
    }

    @Test
    void aMalformedModelFileIsRefusedAndNothingIsStored() throws IOException {
        Path file = write("broken.json", "{\"name\": \"broken\", \"algorithm\": ");

        assertRefusedWithNothingStored(file, "not a valid model file");
    }

    @Test
    void aMissingModelFileIsRefusedAndNothingIsStored() {
        assertRefusedWithNothingStored(temp.resolve("no-such-model.json"), "Cannot read the model file");
    }

    @Test
    void grantsAddThenRemove() {
        data.user("erin");
        data.linearModel("granted", 0.0);

        Run add = cli("grants", "add", "--user", "erin", "--model", "granted");
        assertThat(add.exitCode()).as(add.toString()).isZero();
        assertThat(grants("erin", "granted")).isEqualTo(1);

        Run remove = cli("grants", "remove", "--user", "erin", "--model", "granted");
        assertThat(remove.exitCode()).as(remove.toString()).isZero();
        assertThat(grants("erin", "granted")).isZero();
    }

    @Test
    void grantingToAnUnknownUserFails() {
        data.linearModel("orphan", 0.0);

        Run run = cli("grants", "add", "--user", "nobody", "--model", "orphan");

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.errorLine()).startsWith("error: ").contains("no user named 'nobody'");
    }

    @Test
    void grantingAnUnknownModelFails() {
        data.user("fay");

        Run run = cli("grants", "add", "--user", "fay", "--model", "no-such-model");

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.errorLine()).startsWith("error: ").contains("no model named 'no-such-model'");
        assertThat(count("SELECT count(*) FROM grants")).isZero();
    }

    @Test
    void dbStatusRuns() {
        Run run = cli("db", "status");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lastStdoutLine()).endsWith("is up to date");
    }

    private void assertRefusedWithNothingStored(Path file, String reason) {
        long before = count("SELECT count(*) FROM model_versions");

        Run run = cli("models", "add", "--file", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.errorLine()).startsWith("error: ").contains(reason);
        assertThat(run.stderr()).as("a clean refusal has no stack trace").doesNotContainPattern("(?m)^\\s+at ");
        assertThat(count("SELECT count(*) FROM model_versions")).isEqualTo(before);
    }

    private static Path write(String name, String content) throws IOException {
        return Files.writeString(temp.resolve(name), content);
    }

    private static long count(String sql) {
        return data.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static boolean revoked(String key) {
        return count("SELECT count(*) FROM api_keys WHERE key_hash = '" + ApiKeys.hash(key)
                + "' AND revoked_at IS NOT NULL") == 1;
    }

    private static long grants(String user, String model) {
        return data.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM grants g JOIN users u"
                        + " ON u.id = g.user_id WHERE u.name = :user AND g.model_name = :model")
                .bind("user", user).bind("model", model).mapTo(Long.class).one());
    }

    private static Run cli(String... args) {
        return InProcessCli.run(env(), args);
    }

    private static Map<String, String> env() {
        return Map.of("DATABASE_URL", databaseUrl, "DATABASE_USER", TestPostgres.USER,
                "AUDIT_LOG", auditLog.toString());
    }

    /** Runs the CLI in a new JVM (see {@link AppProcess}) and waits for it to finish. */
    public static Run run(Map<String, String> env, String... args) {
        return run(AppProcess.builder(env, args));
    }

    /** Runs the process built, closing its stdin, and waits for it to finish. */
    public static Run run(ProcessBuilder builder) {
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> stdout = readAll(process.getInputStream());
            CompletableFuture<String> stderr = readAll(process.getErrorStream());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("The CLI did not finish within 120 s: " + String.join(" ", builder.command()));
            }
            return new Run(process.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** What a CLI run left behind. */
    public record Run(int exitCode, String stdout, String stderr) {

        public String lastStdoutLine() {
            List<String> lines = stdout.lines().filter(line -> !line.isBlank()).toList();
            assertThat(lines).as("stdout of " + this).isNotEmpty();
            return lines.get(lines.size() - 1);
        }

        /** The one line on stderr that is not a log line (logs also go to stderr). */
        public String errorLine() {
            List<String> lines = stderr.lines()
                    .filter(line -> !line.isBlank() && !LOG_LINE.matcher(line).matches())
                    .toList();
            assertThat(lines).as("non-log stderr of " + this).hasSize(1);
            return lines.get(0);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}

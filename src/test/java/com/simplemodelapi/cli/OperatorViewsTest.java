package com.simplemodelapi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.common.Sha256;
import com.simplemodelapi.testing.OnnxModels;
import com.simplemodelapi.testing.ServerProcess;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operators' list and show commands through the real CLI ({@link InProcessCli}) on a real database: an aligned
 * table by default and one JSON document with {@code --json}; a one-line error and exit 1 for a user, model or version
 * that does not exist; a table of headers alone (or {@code []}) and exit 0 for an empty answer; and never a key, only
 * its id and prefix. Tests share one database, so each uses names of its own and looks for its own rows.
 */
class OperatorViewsTest {
    private static final String TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";
    /** Every key this class makes; no output may hold one. */
    private static final List<String> KEYS = new CopyOnWriteArrayList<>();

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
    void usersListShowsEachUserWithTheirActiveKeysAndGrants() {
        String first = user("uma");
        key("uma");
        data.access().revokeKey(first);
        data.linearModel("uma-model", 0.0);
        data.grant("uma", "uma-model");
        user("vic");
        sql("UPDATE users SET disabled_at = now() WHERE name = 'vic'");

        Run list = cli("users", "list");

        assertThat(list.rows().get(0).keySet()).containsExactly("NAME", "CREATED", "DISABLED", "KEYS", "GRANTS");
        assertThat(row(list, "NAME", "uma")).containsEntry("DISABLED", "-").containsEntry("KEYS", "1")
                .containsEntry("GRANTS", "1");
        assertThat(row(list, "NAME", "uma").get("CREATED")).matches(TIME);
        assertThat(row(list, "NAME", "vic").get("DISABLED")).matches(TIME);
        assertThat(row(list, "NAME", "vic")).containsEntry("KEYS", "1").containsEntry("GRANTS", "0");

        JsonNode json = json("users", "list");
        assertThat(json.isArray()).isTrue();
        JsonNode uma = element(json, "name", "uma");
        assertThat(fieldNames(uma)).containsExactlyInAnyOrder("name", "created_at", "disabled_at", "active_keys",
                "grants");
        assertThat(Instant.parse(uma.get("created_at").asText())).isBefore(Instant.now());
        assertThat(uma.get("disabled_at").isNull()).isTrue();
        assertThat(uma.get("active_keys").asInt()).isEqualTo(1);
        assertThat(uma.get("grants").asInt()).isEqualTo(1);
        assertThat(Instant.parse(element(json, "name", "vic").get("disabled_at").asText())).isBefore(Instant.now());
    }

    @Test
    void usersShowListsTheirKeysByIdAndPrefixAndTheirGrants() {
        String first = user("wes");
        String second = key("wes");
        data.access().revokeKey(first);
        data.linearModel("wes-a", 0.0);
        data.linearModel("wes-b", 0.0);
        data.grant("wes", "wes-b");
        data.grant("wes", "wes-a");

        Run show = cli("users", "show", "--name", "wes");

        assertThat(show.stdout()).contains("name:         wes\n", "disabled:     -\n", "active keys:  1\n",
                "grants:       2\n");
        List<List<Map<String, String>>> tables = show.tablesAfterFields();
        assertThat(tables).hasSize(2);
        assertThat(tables.get(0)).extracting(r -> r.get("ID"))
                .containsExactly(String.valueOf(data.keyId(first)), String.valueOf(data.keyId(second)));
        assertThat(tables.get(0)).extracting(r -> r.get("PREFIX")).containsExactly(prefix(first), prefix(second));
        assertThat(tables.get(0).get(0).get("REVOKED")).matches(TIME);
        assertThat(tables.get(0).get(1).get("REVOKED")).isEqualTo("-");
        assertThat(tables.get(1)).extracting(r -> r.get("MODEL")).containsExactly("wes-a", "wes-b");

        JsonNode json = json("users", "show", "--name", "wes");
        assertThat(fieldNames(json)).containsExactlyInAnyOrder("user", "keys", "grants");
        assertThat(json.get("user").get("name").asText()).isEqualTo("wes");
        JsonNode key = json.get("keys").get(1);
        assertThat(fieldNames(key)).containsExactlyInAnyOrder("id", "user", "prefix", "created_at", "revoked_at");
        assertThat(key.get("id").asLong()).isEqualTo(data.keyId(second));
        assertThat(key.get("prefix").asText()).isEqualTo(prefix(second));
        assertThat(key.get("revoked_at").isNull()).isTrue();
        assertThat(json.get("grants").get(0).get("model").asText()).isEqualTo("wes-a");
    }

    @Test
    void keysListShowsIdsAndPrefixesOfOneUserOrOfEveryone() {
        String first = user("xia");
        String second = key("xia");
        String other = user("xavier");
        // A key made before prefixes were kept has none.
        sql("UPDATE api_keys SET prefix = NULL WHERE id = " + data.keyId(first));

        Run mine = cli("keys", "list", "--user", "xia");
        assertThat(mine.rows().get(0).keySet()).containsExactly("ID", "USER", "PREFIX", "CREATED", "REVOKED");
        assertThat(mine.rows()).extracting(r -> r.get("PREFIX")).containsExactly("-", prefix(second));
        assertThat(mine.rows()).extracting(r -> r.get("USER")).containsOnly("xia");

        Run all = cli("keys", "list");
        assertThat(all.rows()).extracting(r -> r.get("ID")).contains(String.valueOf(data.keyId(first)),
                String.valueOf(data.keyId(second)), String.valueOf(data.keyId(other)));

        JsonNode json = json("keys", "list", "--user", "xia");
        assertThat(json.size()).isEqualTo(2);
        assertThat(json.get(0).get("prefix").isNull()).isTrue();
        assertThat(json.get(1).get("prefix").asText()).isEqualTo(prefix(second));
    }

    @Test
    void grantsListShowsAllOrOneUsersOrOneModels() {
        user("yan");
        user("yoko");
        data.linearModel("y-one", 0.0);
        data.linearModel("y-two", 0.0);
        data.grant("yan", "y-one");
        data.grant("yan", "y-two");
        data.grant("yoko", "y-two");

        assertThat(cli("grants", "list", "--user", "yan").rows()).extracting(r -> r.get("MODEL"))
                .containsExactly("y-one", "y-two");
        assertThat(cli("grants", "list", "--model", "y-two").rows()).extracting(r -> r.get("USER"))
                .containsExactly("yan", "yoko");
        assertThat(cli("grants", "list").rows()).extracting(r -> r.get("USER") + " " + r.get("MODEL"))
                .contains("yan y-one", "yan y-two", "yoko y-two");
        JsonNode json = json("grants", "list", "--model", "y-two");
        assertThat(fieldNames(json.get(0))).containsExactlyInAnyOrder("user", "model", "created_at");

        Run both = cli("grants", "list", "--user", "yan", "--model", "y-two");
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(1);
        assertThat(both.errorLine()).startsWith("error: argument --model: not allowed with argument --user");
    }

    @Test
    void modelsListAndShowSayWhichVersionIsServedAndWhichAreRetired() {
        data.linearModel("zed-price", 1.0);
        data.linearModel("zed-price", 2.0);
        data.linearModel("zed-price", 3.0);
        sql("UPDATE model_versions SET retired_at = now() WHERE name = 'zed-price' AND version = 3");

        Map<String, String> listed = row(cli("models", "list"), "NAME", "zed-price");
        assertThat(listed).containsEntry("LATEST", "2").containsEntry("ALGORITHM", "linear-regression")
                .containsEntry("VERSIONS", "3").containsEntry("RETIRED", "1");
        assertThat(listed.get("CREATED")).matches(TIME);

        Run show = cli("models", "show", "--name", "zed-price");
        assertThat(show.stdout()).contains("name:             zed-price\n", "version:          2\n",
                "algorithm:        linear-regression\n", "retired:          -\n", "artifact sha256:  -\n",
                "loads:            yes\n", "\"intercept\":2.0");
        List<List<Map<String, String>>> tables = show.tablesAfterFields();
        assertThat(tables.get(0)).extracting(r -> r.get("INPUT") + " " + r.get("TYPE") + " " + r.get("REQUIRED"))
                .containsExactly("x1 number yes", "x2 number yes");
        assertThat(tables.get(1)).extracting(r -> r.get("OUTPUT") + " " + r.get("TYPE"))
                .containsExactly("prediction number");
        assertThat(tables.get(2)).extracting(r -> r.get("VERSION")).containsExactly("1", "2", "3");
        assertThat(tables.get(2)).extracting(r -> r.get("RETIRED").matches(TIME))
                .containsExactly(false, false, true);

        Run third = cli("models", "show", "--name", "zed-price", "--version", "3");
        assertThat(third.stdout()).contains("version:          3\n", "\"intercept\":3.0");
        assertThat(third.stdout()).containsPattern("retired: +" + TIME);

        JsonNode json = json("models", "show", "--name", "zed-price", "--version", "1");
        assertThat(fieldNames(json)).containsExactlyInAnyOrder("model", "versions");
        assertThat(fieldNames(json.get("model"))).containsExactlyInAnyOrder("name", "version", "description",
                "algorithm", "created_at", "retired_at", "inputs", "outputs", "parameters", "artifact", "load_error");
        assertThat(json.get("model").get("parameters").get("intercept").asDouble()).isEqualTo(1.0);
        assertThat(json.get("model").get("outputs").get(0).get("name").asText()).isEqualTo("prediction");
        assertThat(json.get("versions").get(2).get("retired_at").isNull()).isFalse();
        JsonNode models = json("models", "list");
        assertThat(fieldNames(element(models, "name", "zed-price"))).containsExactlyInAnyOrder("name",
                "latest_version", "algorithm", "versions", "retired_versions", "created_at");
    }

    @Test
    void modelsShowGivesAnArtifactsHashAndSize() {
        byte[] graph = OnnxModels.treeEnsembleRegressor();
        data.model("""
                {"name": "zed-gbm", "algorithm": "onnx",
                 "inputs": [{"name": "x0", "type": "number"}, {"name": "x1", "type": "number"}],
                 "parameters": {"feature_order": ["x0", "x1"]}}""", graph);

        Run show = cli("models", "show", "--name", "zed-gbm");

        assertThat(show.stdout()).contains("artifact sha256:    " + Sha256.hex(graph) + "\n",
                "artifact size:      " + graph.length + " bytes\n", "artifact producer:  " + OnnxModels.PRODUCER);
        JsonNode artifact = json("models", "show", "--name", "zed-gbm").get("model").get("artifact");
        assertThat(artifact.get("sha256").asText()).isEqualTo(Sha256.hex(graph));
        assertThat(artifact.get("size_bytes").asLong()).isEqualTo(graph.length);
        assertThat(row(cli("models", "list"), "NAME", "zed-gbm")).containsEntry("ALGORITHM", "onnx");
    }

    @Test
    void whatDoesNotExistIsOneErrorLineAndExitOneWithOrWithoutJson() {
        data.linearModel("only-one", 0.0);
        List<List<String>> commands = List.of(
                List.of("users", "show", "--name", "nobody"),
                List.of("keys", "list", "--user", "nobody"),
                List.of("keys", "add", "--user", "nobody"),
                List.of("grants", "list", "--user", "nobody"),
                List.of("grants", "list", "--model", "no-such-model"),
                List.of("models", "show", "--name", "no-such-model"),
                List.of("models", "show", "--name", "only-one", "--version", "2"));
        List<String> messages = List.of("There is no user named 'nobody'.", "There is no user named 'nobody'.",
                "There is no user named 'nobody'.", "There is no user named 'nobody'.",
                "There is no model named 'no-such-model'.",
                "There is no model named 'no-such-model'; 'models list' shows them.",
                "Model 'only-one' has no version 2; its versions are 1 to 1.");
        for (int i = 0; i < commands.size(); i++) {
            for (boolean asJson : List.of(false, true)) {
                List<String> args = new ArrayList<>(commands.get(i));
                if (asJson) {
                    args.add("--json");
                }
                Run run = cli(args.toArray(String[]::new));
                assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
                assertThat(run.errorLine()).as(String.join(" ", args)).isEqualTo("error: " + messages.get(i));
                assertThat(run.stdout()).as(run.toString()).isBlank();
                assertThat(run.stderr()).doesNotContainPattern("(?m)^\\s+at ");
            }
        }
    }

    @Test
    void anEmptyAnswerIsTheHeadersAloneOrAnEmptyArrayWithExitZero() throws IOException {
        String empty = TestPostgres.newMigratedDatabase();
        Map<String, String> env = env(empty);
        Map<List<String>, String> headers = new LinkedHashMap<>();
        headers.put(List.of("users", "list"), "NAME  CREATED  DISABLED  KEYS  GRANTS");
        headers.put(List.of("keys", "list"), "ID  USER  PREFIX  CREATED  REVOKED");
        headers.put(List.of("grants", "list"), "USER  MODEL  GRANTED");
        headers.put(List.of("models", "list"), "NAME  LATEST  ALGORITHM  VERSIONS  RETIRED  CREATED");
        for (Map.Entry<List<String>, String> command : headers.entrySet()) {
            Run text = new Run(InProcessCli.run(env, command.getKey().toArray(String[]::new)));
            assertThat(text.exitCode()).as(text.toString()).isZero();
            assertThat(text.stdout()).isEqualTo(command.getValue() + "\n");

            List<String> args = new ArrayList<>(command.getKey());
            args.add("--json");
            Run json = new Run(InProcessCli.run(env, args.toArray(String[]::new)));
            assertThat(json.exitCode()).as(json.toString()).isZero();
            assertThat(json.stdout()).isEqualTo("[]\n");
        }

        new TestData(empty).user("lonely");
        Run grants = new Run(InProcessCli.run(env, "grants", "list", "--user", "lonely"));
        assertThat(grants.exitCode()).as(grants.toString()).isZero();
        assertThat(grants.stdout()).isEqualTo("USER  MODEL  GRANTED\n");
    }

    @Test
    void aWrongFlagIsOneErrorLineWithExitOne() {
        Run run = cli("users", "list", "--nmae", "x");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.errorLine())
                .isEqualTo("error: unrecognized arguments: '--nmae'; 'users list --help' shows the options.");
        assertThat(run.stdout()).isBlank();

        Run notANumber = cli("models", "show", "--name", "m", "--version", "latest");
        assertThat(notANumber.exitCode()).as(notANumber.toString()).isEqualTo(1);
        assertThat(notANumber.errorLine()).startsWith("error: argument --version: ").contains("'latest'")
                .endsWith("; 'models show --help' shows the options.");
    }

    @Test
    void noOutputEverHoldsAKey() {
        user("secretive");
        key("secretive");
        data.linearModel("secretive-model", 0.0);
        data.grant("secretive", "secretive-model");
        List<List<String>> commands = List.of(
                List.of("users", "list"), List.of("users", "show", "--name", "secretive"),
                List.of("keys", "list"), List.of("keys", "list", "--user", "secretive"),
                List.of("grants", "list"), List.of("models", "list"),
                List.of("models", "show", "--name", "secretive-model"));
        for (List<String> command : commands) {
            for (boolean asJson : List.of(false, true)) {
                List<String> args = new ArrayList<>(command);
                if (asJson) {
                    args.add("--json");
                }
                Run run = cli(args.toArray(String[]::new));
                assertThat(run.exitCode()).as(run.toString()).isZero();
                assertThat(KEYS).isNotEmpty().allSatisfy(key -> assertThat(run.stdout() + run.stderr())
                        .as(String.join(" ", args)).doesNotContain(key).doesNotContain(key.substring(4)));
                assertThat(run.stdout()).as("no hash either").doesNotContainPattern("[0-9a-f]{64}");
            }
        }
    }

    /** The server in a JVM of its own, as in production; the commands in this one. */
    @Test
    void theCommandsWorkWhileAServerRunsOnTheSameDatabase() throws Exception {
        String url = TestPostgres.newMigratedDatabase();
        Map<String, String> env = env(url);
        Map<String, String> serverEnv = new HashMap<>(env);
        serverEnv.put("AUDIT_LOG", temp.resolve("server-audit.log").toString());
        try (ServerProcess server = ServerProcess.start(serverEnv)) {
            new TestData(url).linearModel("served", 0.0);
            Run added = new Run(InProcessCli.run(env, "users", "add", "--name", "live"));
            assertThat(added.exitCode()).as(added.toString()).isZero();
            String key = added.cli().lastStdoutLine();
            KEYS.add(key);
            assertThat(new Run(InProcessCli.run(env, "grants", "add", "--user", "live", "--model", "served"))
                    .exitCode()).isZero();
            refresh(server);
            assertThat(get(server, "/v1/models/served", key)).isEqualTo(200);

            Run listed = new Run(InProcessCli.run(env, "keys", "list", "--user", "live"));
            String id = listed.rows().get(0).get("ID");
            assertThat(row(listed, "ID", id)).containsEntry("PREFIX", prefix(key)).containsEntry("REVOKED", "-");
            assertThat(new Run(InProcessCli.run(env, "models", "show", "--name", "served")).stdout())
                    .contains("loads:            yes");
            assertThat(row(new Run(InProcessCli.run(env, "users", "list")), "NAME", "live"))
                    .containsEntry("KEYS", "1").containsEntry("GRANTS", "1");

            Run revoked = new Run(InProcessCli.run(env, "keys", "revoke", "--id", id));
            assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
            refresh(server);
            assertThat(get(server, "/v1/models/served", key)).isEqualTo(401);
        }
    }

    private static void refresh(ServerProcess server) throws Exception {
        HttpResponse<String> refreshed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + server.adminPort() + "/tasks/refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refreshed.statusCode()).isEqualTo(200);
    }

    private static int get(ServerProcess server, String path, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + server.port() + path))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String user(String name) {
        String key = data.user(name);
        KEYS.add(key);
        return key;
    }

    private static String key(String user) {
        String key = data.access().addKey(user).key();
        KEYS.add(key);
        return key;
    }

    private static String prefix(String key) {
        return key.substring(4, 12);
    }

    private static void sql(String statement) {
        data.jdbi().useHandle(handle -> handle.execute(statement));
    }

    private static Map<String, String> env(String url) {
        return Map.of("DATABASE_URL", url, "DATABASE_USER", TestPostgres.USER, "AUDIT_LOG", auditLog.toString());
    }

    /** Runs a command that must succeed. */
    private static Run cli(String... args) {
        return new Run(InProcessCli.run(env(databaseUrl), args));
    }

    private static JsonNode json(String... args) {
        List<String> withJson = new ArrayList<>(List.of(args));
        withJson.add("--json");
        Run run = cli(withJson.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        try {
            return TestData.JSON.readTree(run.stdout());
        } catch (IOException e) {
            throw new UncheckedIOException(run.toString(), e);
        }
    }

    private static Map<String, String> row(Run run, String column, String value) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run.rows().stream().filter(r -> value.equals(r.get(column))).findFirst()
                .orElseThrow(() -> new AssertionError("no row with " + column + " " + value + " in " + run));
    }

    private static JsonNode element(JsonNode array, String field, String value) {
        for (JsonNode element : array) {
            if (value.equals(element.get(field).asText())) {
                return element;
            }
        }
        throw new AssertionError("no element with " + field + " " + value + " in " + array);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** A CLI run whose stdout holds tables. */
    private record Run(CliTest.Run cli) {
        int exitCode() {
            return cli.exitCode();
        }

        String stdout() {
            return cli.stdout();
        }

        String stderr() {
            return cli.stderr();
        }

        String errorLine() {
            return cli.errorLine();
        }

        /** Stdout as one table. */
        List<Map<String, String>> rows() {
            assertThat(exitCode()).as(toString()).isZero();
            return table(stdout().lines().toList());
        }

        /** The tables after the {@code label: value} lines, each preceded by a blank line. */
        List<List<Map<String, String>>> tablesAfterFields() {
            assertThat(exitCode()).as(toString()).isZero();
            String[] blocks = stdout().split("\n\n");
            List<List<Map<String, String>>> tables = new ArrayList<>();
            for (int i = 1; i < blocks.length; i++) {
                tables.add(table(blocks[i].lines().toList()));
            }
            return tables;
        }

        /**
         * Reads a table by the columns' positions in its header, and checks that it is aligned: each cell starts where
         * its header does and holds no gap, so splitting on spaces gives the same cells.
         */
        private static List<Map<String, String>> table(List<String> lines) {
            String header = lines.get(0);
            List<String> names = List.of(header.trim().split(" {2,}"));
            int[] starts = new int[names.size()];
            for (int i = 0; i < starts.length; i++) {
                starts[i] = header.indexOf(names.get(i), i == 0 ? 0 : starts[i - 1] + 1);
            }
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < starts.length; i++) {
                    int end = i + 1 < starts.length ? starts[i + 1] : line.length();
                    assertThat(line.length()).as("a cell in column " + names.get(i) + " of: " + line)
                            .isGreaterThan(starts[i]);
                    if (starts[i] > 0) {
                        assertThat(line.charAt(starts[i] - 1)).as("aligned: " + line).isEqualTo(' ');
                    }
                    row.put(names.get(i), line.substring(starts[i], Math.min(end, line.length())).strip());
                }
                assertThat(List.of(line.trim().split(" +"))).as("one word per cell: " + line)
                        .containsExactlyElementsOf(row.values());
                rows.add(row);
            }
            return rows;
        }

        @Override
        public String toString() {
            return cli.toString();
        }
    }
}

package com.simplemodelapi.cli;

import ai.onnx.proto.OnnxMl;
import com.simplemodelapi.testing.OnnxModels;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code models add} of an onnx model through the real CLI ({@link InProcessCli}): the artifact is stored with the
 * version when the graph fits, and nothing at all is stored when it does not.
 */
class OnnxCliTest {
    private static final String GBM_MODEL = """
            {"name": "%s", "algorithm": "onnx",
             "inputs": [{"name": "x0", "type": "number"}, {"name": "x1", "type": "number"}],
             "artifact": "%s",
             "parameters": {"feature_order": ["x0", "x1"]}}""";

    private static String databaseUrl;
    private static TestData data;
    private static Path auditLog;
    private static Path models;

    @TempDir
    static Path temp;

    @BeforeAll
    static void migratedDatabase() throws IOException {
        databaseUrl = TestPostgres.newMigratedDatabase();
        data = new TestData(databaseUrl);
        auditLog = Files.createTempFile(temp, "audit", ".log");
        models = Files.createDirectories(temp.resolve("models"));
    }

    @Test
    void modelsAddStoresTheGraphWithItsHashAndSize() throws IOException {
        byte[] graph = OnnxModels.treeEnsembleRegressor();
        Files.write(models.resolve("gbm.onnx"), graph);
        Path file = Files.writeString(models.resolve("gbm.json"), GBM_MODEL.formatted("gbm", "gbm.onnx"));

        CliTest.Run run = cli(Map.of(), "models", "add", "--file", file.toAbsolutePath().toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lastStdoutLine()).isEqualTo("gbm 1");
        Map<String, Object> artifact = data.jdbi().withHandle(h -> h.createQuery(
                        "SELECT a.sha256, a.size_bytes, a.content FROM model_artifacts a"
                                + " JOIN model_versions v ON v.id = a.model_version_id"
                                + " WHERE v.name = 'gbm' AND v.version = 1")
                .mapToMap().one());
        assertThat(artifact.get("sha256")).isEqualTo(sha256Hex(graph));
        assertThat(((Number) artifact.get("size_bytes")).longValue()).isEqualTo(graph.length);
        assertThat((byte[]) artifact.get("content")).isEqualTo(graph);
        assertThat(count("SELECT count(*) FROM model_artifacts a JOIN model_versions v"
                + " ON v.id = a.model_version_id WHERE v.name = 'gbm'")).isEqualTo(1);
    }

    @Test
    void aTruncatedGraphIsRefusedAndNothingIsStored() throws IOException {
        assertRefusedWithNothingStored("truncated", OnnxModels.truncated(), Map.of(), "ONNX");
    }

    @Test
    void randomBytesAreRefusedAndNothingIsStored() throws IOException {
        assertRefusedWithNothingStored("random", OnnxModels.randomBytes(), Map.of(), "ONNX");
    }

    @Test
    void aMissingArtifactFileIsRefusedAndNothingIsStored() throws IOException {
        Path file = Files.writeString(models.resolve("missing.json"),
                GBM_MODEL.formatted("missing", "no-such-graph.onnx"));

        assertRefusedWithNothingStored(file, Map.of(), "no-such-graph.onnx");
    }

    @Test
    void aGraphWhoseInputShapeDoesNotFitIsRefusedAndNothingIsStored() throws IOException {
        byte[] graph = OnnxModels.linearRegressorExpecting(4);
        Files.write(models.resolve("wide.onnx"), graph);
        Path file = Files.writeString(models.resolve("wide.json"), """
                {"name": "wide", "algorithm": "onnx",
                 "inputs": [{"name": "a", "type": "number"}, {"name": "b", "type": "number"},
                            {"name": "c", "type": "number"}],
                 "artifact": "wide.onnx",
                 "parameters": {}}""");

        String error = assertRefusedWithNothingStored(file, Map.of(), "[N, 4]");
        assertThat(error).contains("3 features");
    }

    @Test
    void anArtifactOverMaxArtifactBytesIsRefusedAndNothingIsStored() throws IOException {
        // The regressor padded with a doc string: still a sound graph, but over 1 KiB.
        byte[] graph = OnnxMl.ModelProto.parseFrom(OnnxModels.treeEnsembleRegressor()).toBuilder()
                .setDocString("padding ".repeat(200))
                .build().toByteArray();
        assertThat(graph.length).isGreaterThan(1024);

        String error = assertRefusedWithNothingStored("big", graph, Map.of("MAX_ARTIFACT_BYTES", "1KiB"),
                "maxArtifactBytes");
        assertThat(error).contains(Integer.toString(graph.length)).contains("1024");
    }

    /** Writes {@code <name>.onnx} and a model file naming it, then expects {@code models add} to refuse it. */
    private String assertRefusedWithNothingStored(String name, byte[] graph, Map<String, String> env, String reason)
            throws IOException {
        Files.write(models.resolve(name + ".onnx"), graph);
        Path file = Files.writeString(models.resolve(name + ".json"), GBM_MODEL.formatted(name, name + ".onnx"));
        return assertRefusedWithNothingStored(file, env, reason);
    }

    private String assertRefusedWithNothingStored(Path file, Map<String, String> env, String reason) {
        long versions = count("SELECT count(*) FROM model_versions");
        long artifacts = count("SELECT count(*) FROM model_artifacts");

        CliTest.Run run = cli(env, "models", "add", "--file", file.toAbsolutePath().toString());

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        String error = run.errorLine();
        assertThat(error).as(run.toString()).startsWith("error: ").contains(reason);
        assertThat(run.stderr()).as("a clean refusal has no stack trace").doesNotContainPattern("(?m)^\\s+at ");
        assertThat(count("SELECT count(*) FROM model_versions")).isEqualTo(versions);
        assertThat(count("SELECT count(*) FROM model_artifacts")).isEqualTo(artifacts);
        return error;
    }

    private static CliTest.Run cli(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", databaseUrl,
                "DATABASE_USER", TestPostgres.USER, "AUDIT_LOG", auditLog.toString()));
        env.putAll(extraEnv);
        return InProcessCli.run(env, args);
    }

    private static long count(String sql) {
        return data.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package com.simplemodelapi.app;

import com.simplemodelapi.cli.CliTest;
import com.simplemodelapi.testing.AppProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no DATABASE_URL, a start that may not run the embedded PostgreSQL (EMBEDDED_DATABASE=false, or a jar built
 * without it, as the container image's is) stops with one line saying what to set, and starts nothing.
 */
class NoDatabaseTest {
    @TempDir
    Path temp;

    @Test
    void withEmbeddedTurnedOffTheServerStopsWithOneLineAndStartsNoPostgres() {
        CliTest.Run server = CliTest.run(AppProcess.builder(env("EMBEDDED_DATABASE", "false"), "server"));

        assertThat(server.exitCode()).as(server.toString()).isNotZero();
        assertThat(server.stderr().lines().filter(line -> !line.isBlank())).as(server.toString())
                .containsExactly("error: No database: DATABASE_URL is not set, and EMBEDDED_DATABASE is false. Set"
                        + " DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD to a PostgreSQL server, or"
                        + " EMBEDDED_DATABASE=true to run an embedded one with its data under DATA_DIR.");
        assertThat(temp.resolve("data")).doesNotExist();
    }

    @Test
    void anOperatorCommandStopsWithTheSameLine() {
        CliTest.Run list = CliTest.run(env("EMBEDDED_DATABASE", "false"), "users", "list");

        assertThat(list.exitCode()).as(list.toString()).isNotZero();
        assertThat(list.stderr().lines().filter(line -> !line.isBlank())).as(list.toString()).singleElement()
                .asString().startsWith("error: No database: DATABASE_URL is not set, and EMBEDDED_DATABASE is false.");
        assertThat(temp.resolve("data")).doesNotExist();
    }

    @Test
    void aJarWithoutTheEmbeddedPostgresSaysSoEvenWhenEmbeddedIsAllowed() throws IOException {
        Path containerBuild = temp.resolve("container-build");
        Files.createDirectories(containerBuild.resolve("com/simplemodelapi"));
        Files.writeString(containerBuild.resolve("com/simplemodelapi/build.properties"),
                "version=0-test\nembeddedPostgres=false\n");

        CliTest.Run server = CliTest.run(AppProcess.withClassPathFirst(
                AppProcess.builder(env("EMBEDDED_DATABASE", "true"), "server"), containerBuild));

        assertThat(server.exitCode()).as(server.toString()).isNotZero();
        assertThat(server.stderr().lines().filter(line -> !line.isBlank())).as(server.toString())
                .containsExactly("error: No database: DATABASE_URL is not set, and this jar has no embedded"
                        + " PostgreSQL to run instead (the container image's jar leaves it out). Set DATABASE_URL,"
                        + " DATABASE_USER and DATABASE_PASSWORD to a PostgreSQL server.");
        assertThat(temp.resolve("data")).doesNotExist();
    }

    private Map<String, String> env(String name, String value) {
        return Map.of("DATABASE_URL", "", "DATA_DIR", temp.resolve("data").toString(),
                "AUDIT_LOG", temp.resolve("logs/audit.log").toString(), name, value);
    }
}

package com.simplemodelapi.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The application's main class in a new JVM with the project's config.yml, as an operator runs the jar. */
public final class AppProcess {
    /** Every variable config.yml reads, so the child sees only what a test sets. */
    private static final List<String> CONFIG_VARIABLES = List.of("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD",
            "DATABASE_STARTUP_TIMEOUT", "DATA_DIR", "AUDIT_LOG", "AUDIT_LOG_DAYS", "AUDIT_FAIL_CLOSED", "PORT",
            "ADMIN_PORT", "ADMIN_BIND", "MIGRATE_ON_START", "REFRESH_INTERVAL", "MAX_REQUEST_BYTES", "SHUTDOWN_GRACE_PERIOD",
            "LOG_LEVEL");

    private AppProcess() {
    }

    /** {@code java <main> <args> config.yml} with this JVM's environment, minus config.yml's variables, plus env. */
    public static ProcessBuilder builder(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                // Only the JIT's first tier: these JVMs mostly live a few seconds, and that is where they spend them.
                "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "com.simplemodelapi.app.SimpleModelApiApplication"));
        command.addAll(Arrays.asList(args));
        command.add(TestApp.CONFIG);
        ProcessBuilder builder = new ProcessBuilder(command);
        CONFIG_VARIABLES.forEach(builder.environment()::remove);
        builder.environment().putAll(env);
        return builder;
    }
}

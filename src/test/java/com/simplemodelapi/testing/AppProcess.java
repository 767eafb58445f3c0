package com.simplemodelapi.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The application's main class in a new JVM with the project's config.yml, as an operator runs the jar. */
public final class AppProcess {
    /** Every variable config.yml reads, found in the file itself, so the child sees only what a test sets. */
    private static final List<String> CONFIG_VARIABLES = variablesIn(TestApp.CONFIG);

    private AppProcess() {
    }

    /** {@code java <main> <args> config.yml} with this JVM's environment, minus config.yml's variables, plus env. */
    public static ProcessBuilder builder(Map<String, String> env, String... args) {
        return builder(Path.of(TestApp.CONFIG), env, args);
    }

    /** As {@link #builder(Map, String...)}, with another config file. */
    public static ProcessBuilder builder(Path config, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                // Only the JIT's first tier: these JVMs mostly live a few seconds, and that is where they spend them.
                "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "com.simplemodelapi.cli.SimpleModelApiCli"));
        command.addAll(Arrays.asList(args));
        command.add(config.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        CONFIG_VARIABLES.forEach(builder.environment()::remove);
        builder.environment().putAll(env);
        return builder;
    }

    /** Puts {@code entry} first on the built process's class path, so that its resources shadow the build's. */
    public static ProcessBuilder withClassPathFirst(ProcessBuilder builder, Path entry) {
        List<String> command = builder.command();
        int classPath = command.indexOf("-cp") + 1;
        command.set(classPath, entry + File.pathSeparator + command.get(classPath));
        return builder;
    }

    private static List<String> variablesIn(String config) {
        try {
            return Pattern.compile("\\$\\{(\\w+)").matcher(Files.readString(Path.of(config))).results()
                    .map(variable -> variable.group(1)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + config, e);
        }
    }
}

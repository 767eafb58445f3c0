package com.simplemodelapi.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own checker, {@code promtool}, as Debian's {@code prometheus} package installs it (.ci/run installs it
 * when it is missing). A test that needs it is skipped, saying so, on a machine without it.
 */
public final class Promtool {
    /** What promtool printed, and its exit code. */
    public record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    /** The promtool on the PATH, else /usr/bin/promtool; skips the calling test when there is neither. */
    public static Path require() {
        List<Path> candidates = new ArrayList<>();
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!directory.isEmpty()) {
                candidates.add(Path.of(directory, "promtool"));
            }
        }
        candidates.add(Path.of("/usr/bin/promtool"));
        Path found = candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, "promtool is not installed, so the Prometheus checks are skipped:"
                + " install Debian's 'prometheus' package (apt-get install prometheus), as .ci/run does");
        return found;
    }

    /** Runs {@code promtool <arguments>} in the project directory, with {@code input} (or nothing) on its stdin. */
    public static Result run(String input, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(require().toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().write(input == null ? new byte[0] : input.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool did not finish within " + Poll.PATIENCE + ": " + output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package com.example.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.algorithm.Algorithm;
import com.simplemodelapi.algorithm.Evaluator;
import com.simplemodelapi.algorithm.InvalidModelException;
import com.simplemodelapi.models.model.InputField;
import com.simplemodelapi.models.model.OutputField;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A plug-in whose predictions stay in flight until a test lets them go, also in a server in a JVM of its own: a call
 * creates the file {@link #STARTED} in the directory {@code parameters.signals} as it begins, and answers once the
 * test has created {@link #RELEASE} there.
 */
public final class SlowAlgorithm implements Algorithm {
    public static final String STARTED = "started";
    public static final String RELEASE = "release";
    /** A call that is never released fails after this long, so a failed test does not leave a server hanging. */
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

    @Override
    public String name() {
        return "slow";
    }

    @Override
    public Evaluator build(List<InputField> inputs, JsonNode parameters) throws InvalidModelException {
        if (!parameters.path("signals").isTextual()) {
            throw new InvalidModelException("'signals' must name a directory");
        }
        Path signals = Path.of(parameters.get("signals").asText());
        return new Evaluator() {
            @Override
            public List<OutputField> outputs() {
                return List.of(new OutputField("released", "boolean"));
            }

            @Override
            public Map<String, Object> predict(Map<String, Object> instance) {
                try {
                    Files.writeString(signals.resolve(STARTED), "");
                    long deadline = System.nanoTime() + LONGEST_WAIT.toNanos();
                    while (!Files.exists(signals.resolve(RELEASE))) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("Not released within " + LONGEST_WAIT);
                        }
                        Thread.sleep(10);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                return Map.of("released", true);
            }
        };
    }
}

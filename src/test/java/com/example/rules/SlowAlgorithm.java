package com.example.rules;

import com.simplemodelapi.spi.Algorithm;
import com.simplemodelapi.spi.AlgorithmContext;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.InvalidModelException;
import com.simplemodelapi.spi.ModelSpec;
import com.simplemodelapi.spi.OutputSpec;
import com.simplemodelapi.spi.RecordEvaluator;

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
    public Evaluator build(ModelSpec model, AlgorithmContext context) throws InvalidModelException {
        if (!(model.parameters().get("signals") instanceof String directory)) {
            throw new InvalidModelException("'signals' must name a directory");
        }
        Path signals = Path.of(directory);
        return new RecordEvaluator() {
            @Override
            public List<OutputSpec> outputs() {
                return List.of(new OutputSpec("released", OutputSpec.Type.BOOLEAN));
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

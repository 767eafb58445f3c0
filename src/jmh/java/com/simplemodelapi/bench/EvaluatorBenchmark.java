package com.simplemodelapi.bench;

import com.simplemodelapi.prediction.service.InputValidator;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.OutputSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The evaluators alone, in ns per record: {@link Evaluator#predictBatch}, the one call the service makes for a
 * request, with records already validated and converted by {@link InputValidator} (measured on its own in
 * {@link InputValidatorBenchmark}). {@code single} is a request of one record, {@code batch100} one of 100.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EvaluatorBenchmark {
    static final int BATCH = 100;

    @Param({DemoModelFixtures.HOUSE_PRICE, DemoModelFixtures.IRIS_SPECIES, DemoModelFixtures.IRIS_TREES,
            DemoModelFixtures.HOUSE_PRICE_ONNX, DemoModelFixtures.IRIS_SPECIES_ONNX})
    public String model;

    private Evaluator evaluator;
    private List<Map<String, Object>> batch;
    private InTurn<Map<String, Object>> singles;

    @Setup
    public void setUp() {
        DemoModelFixtures.Fixture fixture = DemoModelFixtures.fixture(model);
        evaluator = fixture.build();
        batch = InputValidator.validate(fixture.definition().inputs(),
                DemoModelFixtures.records(fixture.definition(), BATCH));
        singles = new InTurn<>(batch);
        List<Map<String, Object>> predictions = evaluator.predictBatch(batch);
        if (predictions.size() != BATCH || !predictions.get(0).keySet().containsAll(
                evaluator.outputs().stream().map(OutputSpec::name).toList())) {
            throw new IllegalStateException(model + " predicts " + predictions.get(0) + ", not " + evaluator.outputs());
        }
        DemoModelFixtures.builtInTwin(model).ifPresent(twin -> checkSameAs(twin, predictions));
    }

    /** An ONNX twin must be the same model as its built-in, or comparing their times would mean nothing. */
    private void checkSameAs(String builtIn, List<Map<String, Object>> predictions) {
        try (Evaluator reference = DemoModelFixtures.fixture(builtIn).build()) {
            List<Map<String, Object>> expected = reference.predictBatch(batch);
            for (int i = 0; i < BATCH; i++) {
                if (!DemoModelFixtures.agree(expected.get(i), predictions.get(i))) {
                    throw new IllegalStateException(model + " predicts " + predictions.get(i) + " for " + batch.get(i)
                            + ", but " + builtIn + " predicts " + expected.get(i));
                }
            }
        }
    }

    @TearDown
    public void tearDown() {
        evaluator.close();
    }

    @Benchmark
    public List<Map<String, Object>> single() {
        return evaluator.predictBatch(singles.next());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<Map<String, Object>> batch100() {
        return evaluator.predictBatch(batch);
    }
}

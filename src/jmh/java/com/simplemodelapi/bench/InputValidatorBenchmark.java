package com.simplemodelapi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.models.api.InputField;
import com.simplemodelapi.prediction.service.InputValidator;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The step before the evaluator on the service's path, in ns per record: {@link InputValidator#validate}, which
 * checks parsed JSON records against the model's inputs and converts them to the values evaluators take. It depends
 * on the inputs only, so the two input shapes of the demo models stand for all of them (iris-trees has iris-species'
 * inputs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InputValidatorBenchmark {
    static final int BATCH = EvaluatorBenchmark.BATCH;

    @Param({DemoModelFixtures.HOUSE_PRICE, DemoModelFixtures.IRIS_SPECIES})
    public String model;

    private List<InputField> inputs;
    private List<Map<String, JsonNode>> batch;
    private InTurn<Map<String, JsonNode>> singles;

    @Setup
    public void setUp() {
        DemoModelFixtures.Fixture fixture = DemoModelFixtures.fixture(model);
        inputs = fixture.definition().inputs();
        batch = DemoModelFixtures.records(fixture.definition(), BATCH);
        singles = new InTurn<>(batch);
    }

    @Benchmark
    public List<Map<String, Object>> single() {
        return InputValidator.validate(inputs, singles.next());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<Map<String, Object>> batch100() {
        return InputValidator.validate(inputs, batch);
    }
}

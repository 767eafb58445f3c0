package com.simplemodelapi.algorithm.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.OutputSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** One ONNX Runtime session, shared by every request: a batch of N instances is one run on N rows. */
final class OnnxEvaluator implements Evaluator {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final InputFeed feed;
    private final List<OutputReader> readers;
    private final List<OutputSpec> outputs;
    private final Map<String, Object> artifactDetails;
    /** Runs share the read lock; close takes the write lock, so a session is never freed under a running request. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    OnnxEvaluator(OrtEnvironment env, OrtSession session, InputFeed feed, List<OutputReader> readers,
                  Map<String, Object> artifactDetails) {
        this.env = env;
        this.session = session;
        this.feed = feed;
        this.readers = List.copyOf(readers);
        this.outputs = this.readers.stream().map(OutputReader::field).toList();
        this.artifactDetails = Map.copyOf(artifactDetails);
    }

    @Override
    public List<OutputSpec> outputs() {
        return outputs;
    }

    @Override
    public Map<String, Object> artifactDetails() {
        return artifactDetails;
    }

    @Override
    public List<Map<String, Object>> predictBatch(List<Map<String, Object>> instances) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("This model version has been unloaded");
            }
            return run(instances);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private List<Map<String, Object>> run(List<Map<String, Object>> instances) {
        List<Map<String, Object>> predictions = new ArrayList<>(instances.size());
        instances.forEach(instance -> predictions.add(new LinkedHashMap<>()));
        Map<String, OnnxTensor> inputs = Map.of();
        try {
            inputs = feed.tensors(env, instances);
            try (OrtSession.Result result = session.run(inputs)) {
                for (OutputReader reader : readers) {
                    reader.read(result.get(reader.graphOutput()).orElseThrow(), predictions);
                }
            }
            return predictions;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to evaluate the model: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("Closing an ONNX Runtime session failed: " + e.getMessage(), e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    boolean isClosed() {
        lifecycle.readLock().lock();
        try {
            return closed;
        } finally {
            lifecycle.readLock().unlock();
        }
    }
}

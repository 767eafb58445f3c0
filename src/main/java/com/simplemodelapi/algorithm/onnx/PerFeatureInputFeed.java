package com.simplemodelapi.algorithm.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One tensor per feature, {@code [N, 1]} (or {@code [N]}), fed by name: float, double, int64 or string. */
final class PerFeatureInputFeed implements InputFeed {

    /** A graph input and the shape of one instance's value in it: {@code {1}} for [N, 1], {@code {}} for [N]. */
    record Column(String name, OnnxJavaType type, boolean rowIsVector) {
    }

    private final List<Column> columns;

    PerFeatureInputFeed(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    @Override
    public Map<String, OnnxTensor> tensors(OrtEnvironment env, List<Map<String, Object>> instances)
            throws OrtException {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            for (Column column : columns) {
                tensors.put(column.name(), tensor(env, column, instances));
            }
            return tensors;
        } catch (OrtException | RuntimeException e) {
            tensors.values().forEach(OnnxTensor::close);
            throw e;
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, Column column, List<Map<String, Object>> instances)
            throws OrtException {
        int rows = instances.size();
        long[] shape = column.rowIsVector() ? new long[]{rows, 1} : new long[]{rows};
        switch (column.type()) {
            case FLOAT -> {
                FloatBuffer values = FloatBuffer.allocate(rows);
                instances.forEach(instance -> values.put(((Number) instance.get(column.name())).floatValue()));
                return OnnxTensor.createTensor(env, values.flip(), shape);
            }
            case DOUBLE -> {
                DoubleBuffer values = DoubleBuffer.allocate(rows);
                instances.forEach(instance -> values.put(((Number) instance.get(column.name())).doubleValue()));
                return OnnxTensor.createTensor(env, values.flip(), shape);
            }
            case INT64 -> {
                LongBuffer values = LongBuffer.allocate(rows);
                instances.forEach(instance -> values.put(((Number) instance.get(column.name())).longValue()));
                return OnnxTensor.createTensor(env, values.flip(), shape);
            }
            case STRING -> {
                String[] values = new String[rows];
                for (int i = 0; i < rows; i++) {
                    values[i] = (String) instances.get(i).get(column.name());
                }
                return OnnxTensor.createTensor(env, values, shape);
            }
            default -> throw new IllegalStateException("unsupported input type " + column.type());
        }
    }
}

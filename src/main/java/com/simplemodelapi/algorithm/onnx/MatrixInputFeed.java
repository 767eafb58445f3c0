package com.simplemodelapi.algorithm.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/** One {@code [N, F]} float or double tensor, a row per instance, columns in {@code feature_order}: skl2onnx's shape. */
final class MatrixInputFeed implements InputFeed {
    private final String inputName;
    private final OnnxJavaType type;
    private final String[] features;

    MatrixInputFeed(String inputName, OnnxJavaType type, String[] features) {
        this.inputName = inputName;
        this.type = type;
        this.features = features;
    }

    @Override
    public Map<String, OnnxTensor> tensors(OrtEnvironment env, List<Map<String, Object>> instances)
            throws OrtException {
        int rows = instances.size();
        long[] shape = {rows, features.length};
        if (type == OnnxJavaType.FLOAT) {
            FloatBuffer values = FloatBuffer.allocate(rows * features.length);
            for (Map<String, Object> instance : instances) {
                for (String feature : features) {
                    values.put(((Number) instance.get(feature)).floatValue());
                }
            }
            return Map.of(inputName, OnnxTensor.createTensor(env, values.flip(), shape));
        }
        DoubleBuffer values = DoubleBuffer.allocate(rows * features.length);
        for (Map<String, Object> instance : instances) {
            for (String feature : features) {
                values.put(((Number) instance.get(feature)).doubleValue());
            }
        }
        return Map.of(inputName, OnnxTensor.createTensor(env, values.flip(), shape));
    }
}

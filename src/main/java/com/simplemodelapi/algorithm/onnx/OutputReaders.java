package com.simplemodelapi.algorithm.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import com.simplemodelapi.spi.OutputSpec;

import java.lang.reflect.Array;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps a graph's outputs to the JSON outputs the built-ins use: a label tensor to {@code label}, a class probability
 * tensor or a ZipMap to {@code probabilities}, a lone {@code [N, 1]} output to {@code prediction}, and anything else
 * to its own name, as nested arrays.
 */
final class OutputReaders {
    private OutputReaders() {
    }

    static List<OutputReader> choose(Map<String, NodeInfo> outputs, List<String> classes) {
        boolean hasLabel = outputs.entrySet().stream().anyMatch(output -> isLabel(output.getKey(), output.getValue()));
        Set<String> used = new HashSet<>();
        List<OutputReader> readers = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> output : outputs.entrySet()) {
            OutputReader reader = choose(output.getKey(), output.getValue(), outputs.size(), hasLabel, classes);
            if (!used.add(reader.field().name())) {
                reader = new Raw(output.getKey());
                used.add(output.getKey());
            }
            readers.add(reader);
        }
        return readers;
    }

    private static OutputReader choose(String name, NodeInfo node, int outputCount, boolean hasLabel,
                                       List<String> classes) {
        if (node.getInfo() instanceof SequenceInfo sequence && sequence.isSequenceOfMaps()) {
            return new ZipMap(name, classes);
        }
        if (!(node.getInfo() instanceof TensorInfo tensor)) {
            return new Raw(name);
        }
        long[] shape = tensor.getShape();
        boolean floating = tensor.type == OnnxJavaType.FLOAT || tensor.type == OnnxJavaType.DOUBLE;
        if (isLabel(name, node)) {
            return new Label(name,
                    tensor.type == OnnxJavaType.STRING ? OutputSpec.Type.STRING : OutputSpec.Type.INTEGER);
        }
        boolean perClass = shape.length == 2 && (shape[1] == classes.size() || shape[1] < 0);
        if (floating && !classes.isEmpty() && perClass
                && (hasLabel || name.toLowerCase(Locale.ROOT).contains("prob"))) {
            return new Probabilities(name, classes);
        }
        boolean oneValuePerRow = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
        if (floating && outputCount == 1 && oneValuePerRow) {
            return new Prediction(name);
        }
        return new Raw(name);
    }

    private static boolean isLabel(String name, NodeInfo node) {
        if (!(node.getInfo() instanceof TensorInfo tensor) || !name.toLowerCase(Locale.ROOT).contains("label")) {
            return false;
        }
        long[] shape = tensor.getShape();
        boolean oneValuePerRow = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
        return oneValuePerRow && (tensor.type == OnnxJavaType.STRING || tensor.type == OnnxJavaType.INT64);
    }

    /** A float as the shortest decimal that reads back as it, so 0.3f shows as 0.3 rather than 0.30000001192092896. */
    private static double widen(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    /** The values of a numeric tensor, in row-major order, as doubles. */
    private static double[] numbers(OnnxTensor tensor) {
        if (tensor.getInfo().type == OnnxJavaType.FLOAT) {
            FloatBuffer buffer = tensor.getFloatBuffer();
            double[] values = new double[buffer.remaining()];
            for (int i = 0; i < values.length; i++) {
                values[i] = widen(buffer.get(i));
            }
            return values;
        }
        DoubleBuffer buffer = tensor.getDoubleBuffer();
        double[] values = new double[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private record Label(String graphOutput, OutputSpec.Type type) implements OutputReader {
        @Override
        public OutputSpec field() {
            return new OutputSpec("label", type);
        }

        @Override
        public void read(OnnxValue value, List<Map<String, Object>> predictions) throws OrtException {
            Object labels = value.getValue();
            for (int row = 0; row < predictions.size(); row++) {
                Object label = Array.get(labels, row);
                predictions.get(row).put("label", label.getClass().isArray() ? Array.get(label, 0) : label);
            }
        }
    }

    private record Probabilities(String graphOutput, List<String> classes) implements OutputReader {
        @Override
        public OutputSpec field() {
            return new OutputSpec("probabilities", OutputSpec.Type.OBJECT, classes);
        }

        @Override
        public void read(OnnxValue value, List<Map<String, Object>> predictions) {
            double[] values = numbers((OnnxTensor) value);
            int columns = classes.size();
            for (int row = 0; row < predictions.size(); row++) {
                Map<String, Object> byClass = new LinkedHashMap<>();
                for (int c = 0; c < columns; c++) {
                    byClass.put(classes.get(c), values[row * columns + c]);
                }
                predictions.get(row).put("probabilities", byClass);
            }
        }
    }

    /** ZipMap's {@code seq(map(class, float))}: one map per instance, put in the graph's class order when known. */
    private record ZipMap(String graphOutput, List<String> classes) implements OutputReader {
        @Override
        public OutputSpec field() {
            return new OutputSpec("probabilities", OutputSpec.Type.OBJECT, classes);
        }

        @Override
        public void read(OnnxValue value, List<Map<String, Object>> predictions) throws OrtException {
            List<? extends OnnxValue> maps = ((OnnxSequence) value).getValue();
            for (int row = 0; row < predictions.size(); row++) {
                Map<String, Object> byClass = new TreeMap<>();
                ((OnnxMap) maps.get(row)).getValue().forEach((label, p) -> byClass.put(String.valueOf(label),
                        p instanceof Float f ? widen(f) : ((Number) p).doubleValue()));
                predictions.get(row).put("probabilities", inClassOrder(byClass));
            }
        }

        private Map<String, Object> inClassOrder(Map<String, Object> byClass) {
            if (!byClass.keySet().equals(new HashSet<>(classes))) {
                return byClass;
            }
            Map<String, Object> ordered = new LinkedHashMap<>();
            classes.forEach(label -> ordered.put(label, byClass.get(label)));
            return ordered;
        }
    }

    private record Prediction(String graphOutput) implements OutputReader {
        @Override
        public OutputSpec field() {
            return new OutputSpec("prediction", OutputSpec.Type.NUMBER);
        }

        @Override
        public void read(OnnxValue value, List<Map<String, Object>> predictions) {
            double[] values = numbers((OnnxTensor) value);
            for (int row = 0; row < predictions.size(); row++) {
                predictions.get(row).put("prediction", values[row]);
            }
        }
    }

    /** Any other output, under its own name: the instance's slice of it as nested arrays. */
    private record Raw(String graphOutput) implements OutputReader {
        @Override
        public OutputSpec field() {
            return new OutputSpec(graphOutput, OutputSpec.Type.ARRAY);
        }

        @Override
        public void read(OnnxValue value, List<Map<String, Object>> predictions) throws OrtException {
            Object all = value.getValue();
            boolean sliceable = all != null && all.getClass().isArray() && Array.getLength(all) == predictions.size();
            for (int row = 0; row < predictions.size(); row++) {
                predictions.get(row).put(graphOutput, sliceable ? Array.get(all, row) : all);
            }
        }
    }
}

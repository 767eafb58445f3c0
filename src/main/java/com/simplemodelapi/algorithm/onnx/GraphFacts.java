package com.simplemodelapi.algorithm.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import com.simplemodelapi.spi.InvalidModelException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What ONNX Runtime's Java API does not tell about a graph, read from its protobuf: the class labels of an
 * {@code ai.onnx.ml} classifier, the opset and the producer.
 */
record GraphFacts(List<String> classLabels, Long opset, String producer) {
    // Tree ensembles say classlabels_int64s; LinearClassifier and SVMClassifier say classlabels_ints.
    private static final Set<String> CLASS_LABELS =
            Set.of("classlabels_strings", "classlabels_int64s", "classlabels_ints");

    static GraphFacts read(byte[] artifact) throws InvalidModelException {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(artifact);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidModelException("the artifact is not an ONNX model (" + e.getMessage() + ")");
        }
        if (!model.hasGraph()) {
            throw new InvalidModelException("the artifact is not an ONNX model: it holds no graph");
        }
        Long opset = model.getOpsetImportList().stream()
                .filter(set -> set.getDomain().isEmpty() || set.getDomain().equals("ai.onnx"))
                .map(OnnxMl.OperatorSetIdProto::getVersion)
                .findFirst().orElse(null);
        String producer = (model.getProducerName() + " " + model.getProducerVersion()).trim();
        return new GraphFacts(classLabels(model.getGraph()), opset, producer.isEmpty() ? null : producer);
    }

    /** The labels of the first classifier in the graph that names them, or none. */
    private static List<String> classLabels(OnnxMl.GraphProto graph) {
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            for (OnnxMl.AttributeProto attribute : node.getAttributeList()) {
                if (!CLASS_LABELS.contains(attribute.getName()) || node.getOpType().equals("ZipMap")) {
                    continue;
                }
                List<String> labels = new ArrayList<>();
                attribute.getStringsList().forEach(label -> labels.add(label.toStringUtf8()));
                attribute.getIntsList().forEach(label -> labels.add(Long.toString(label)));
                if (!labels.isEmpty()) {
                    return List.copyOf(labels);
                }
            }
        }
        return List.of();
    }

    Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        if (opset != null) {
            details.put("opset", opset);
        }
        if (producer != null) {
            details.put("producer", producer);
        }
        return details;
    }
}

package com.simplemodelapi.algorithm.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds small ONNX graphs in code: the demo model seeded into the embedded database, and the tests' models, so that
 * no binary model file is downloaded or committed. Every input and output has the symbolic batch dimension "N" first.
 */
public final class OnnxGraphs {
    public static final String ML_DOMAIN = "ai.onnx.ml";
    public static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    public static final int DOUBLE = TensorProto.DataType.DOUBLE_VALUE;
    public static final int INT64 = TensorProto.DataType.INT64_VALUE;
    public static final int STRING = TensorProto.DataType.STRING_VALUE;
    public static final OperatorSetIdProto ML_OPSET = opset(ML_DOMAIN, 3);

    private OnnxGraphs() {
    }

    /** TreeEnsembleClassifier (post_transform NONE) over [N,features] floats, then ZipMap over its probabilities. */
    public static byte[] treeClassifierWithZipMap(String producer, String name, int features, Trees trees,
                                                  String... labels) {
        List<AttributeProto> attributes = new ArrayList<>(trees.attributes("class_"));
        attributes.add(stringsAttr("classlabels_strings", labels));
        attributes.add(stringAttr("post_transform", "NONE"));
        GraphProto graph = GraphProto.newBuilder()
                .setName(name)
                .addInput(tensor("float_input", FLOAT, features))
                .addNode(node("TreeEnsembleClassifier", ML_DOMAIN, List.of("float_input"),
                        List.of("output_label", "probabilities"), attributes.toArray(AttributeProto[]::new)))
                .addNode(node("ZipMap", ML_DOMAIN, List.of("probabilities"), List.of("output_probability"),
                        stringsAttr("classlabels_strings", labels)))
                .addOutput(tensor("output_label", STRING))
                .addOutput(ValueInfoProto.newBuilder().setName("output_probability").setType(sequenceOfMaps()))
                .build();
        return model(producer, graph, ML_OPSET);
    }

    /**
     * Collects the parallel attribute arrays of TreeEnsembleClassifier / TreeEnsembleRegressor, one node at a time.
     * Node ids are per tree; a leaf's weights are given for class (or target) 0, 1, 2, ... in order.
     */
    public static final class Trees {
        private final List<Long> treeIds = new ArrayList<>();
        private final List<Long> nodeIds = new ArrayList<>();
        private final List<Long> featureIds = new ArrayList<>();
        private final List<Float> thresholds = new ArrayList<>();
        private final List<String> modes = new ArrayList<>();
        private final List<Long> trueIds = new ArrayList<>();
        private final List<Long> falseIds = new ArrayList<>();
        private final List<Long> leafTreeIds = new ArrayList<>();
        private final List<Long> leafNodeIds = new ArrayList<>();
        private final List<Long> leafClassIds = new ArrayList<>();
        private final List<Float> leafWeights = new ArrayList<>();

        /** Node {@code node} of tree {@code tree}: go to {@code ifTrue} when feature &lt;= threshold, else {@code ifFalse}. */
        public Trees branch(long tree, long node, long feature, float threshold, long ifTrue, long ifFalse) {
            return add(tree, node, feature, threshold, "BRANCH_LEQ", ifTrue, ifFalse);
        }

        /**
         * Leaf {@code node} of tree {@code tree} with one weight per class (or per regression target), for class
         * ids 0, 1, 2, ... in order. (A binary classifier gives a single weight: see
         * the tests' OnnxModels.treeEnsembleClassifierWithZipMap().)
         */
        public Trees leaf(long tree, long node, float... weights) {
            add(tree, node, 0, 0f, "LEAF", 0, 0);
            for (int k = 0; k < weights.length; k++) {
                leafTreeIds.add(tree);
                leafNodeIds.add(node);
                leafClassIds.add((long) k);
                leafWeights.add(weights[k]);
            }
            return this;
        }

        private Trees add(long tree, long node, long feature, float threshold, String mode, long ifTrue, long ifFalse) {
            treeIds.add(tree);
            nodeIds.add(node);
            featureIds.add(feature);
            thresholds.add(threshold);
            modes.add(mode);
            trueIds.add(ifTrue);
            falseIds.add(ifFalse);
            return this;
        }

        /** The node attributes plus the leaf attributes, prefixed "class_" (classifier) or "target_" (regressor). */
        public List<AttributeProto> attributes(String leafPrefix) {
            return List.of(
                    intsAttr("nodes_treeids", treeIds),
                    intsAttr("nodes_nodeids", nodeIds),
                    intsAttr("nodes_featureids", featureIds),
                    floatsAttr("nodes_values", thresholds),
                    stringsAttr("nodes_modes", modes.toArray(String[]::new)),
                    intsAttr("nodes_truenodeids", trueIds),
                    intsAttr("nodes_falsenodeids", falseIds),
                    intsAttr(leafPrefix + "treeids", leafTreeIds),
                    intsAttr(leafPrefix + "nodeids", leafNodeIds),
                    intsAttr(leafPrefix + "ids", leafClassIds),
                    floatsAttr(leafPrefix + "weights", leafWeights));
        }
    }

    /** Wraps the graph in a ModelProto importing the default domain at opset 17 plus any further opsets. */
    public static byte[] model(String producer, GraphProto graph, OperatorSetIdProto... furtherOpsets) {
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName(producer)
                .addOpsetImport(opset("", 17))
                .addAllOpsetImport(Arrays.asList(furtherOpsets))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    public static OperatorSetIdProto opset(String domain, long version) {
        return OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version).build();
    }

    public static NodeProto node(String opType, String domain, List<String> inputs, List<String> outputs,
                                  AttributeProto... attributes) {
        return NodeProto.newBuilder()
                .setName(opType + "_" + outputs.get(0))
                .setOpType(opType)
                .setDomain(domain)
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .addAllAttribute(Arrays.asList(attributes))
                .build();
    }

    /** A tensor value of the given element type and shape [N, dims...] (just [N] when no dims are given). */
    public static ValueInfoProto tensor(String name, int elementType, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        TypeProto type = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elementType).setShape(shape))
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    /** seq(map(string, float)), the type of ZipMap's output. */
    public static TypeProto sequenceOfMaps() {
        TypeProto floatTensor = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT))
                .build();
        TypeProto map = TypeProto.newBuilder()
                .setMapType(TypeProto.Map.newBuilder().setKeyType(STRING).setValueType(floatTensor))
                .build();
        return TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder().setElemType(map)).build();
    }

    public static TensorProto floats(String name, long[] dims, float... values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(FLOAT);
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        for (float value : values) {
            tensor.addFloatData(value);
        }
        return tensor.build();
    }

    public static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
    }

    public static AttributeProto intsAttr(String name, List<Long> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS).addAllInts(values).build();
    }

    public static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(value).build();
    }

    public static AttributeProto floatsAttr(String name, float... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOATS);
        for (float value : values) {
            attribute.addFloats(value);
        }
        return attribute.build();
    }

    public static AttributeProto floatsAttr(String name, List<Float> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOATS).addAllFloats(values).build();
    }

    public static AttributeProto stringAttr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto stringsAttr(String name, String... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name).setType(AttributeType.STRINGS);
        for (String value : values) {
            attribute.addStrings(ByteString.copyFromUtf8(value));
        }
        return attribute.build();
    }
}

package com.simplemodelapi.app;

import com.simplemodelapi.algorithm.onnx.OnnxGraphs;
import com.simplemodelapi.algorithm.onnx.OnnxGraphs.Trees;

import java.util.List;

/** The models the demo seed adds: two model files shipped as resources, and one ONNX graph built here. */
public final class DemoModels {
    static final List<String> MODEL_FILES = List.of("/demo/iris-species.json", "/demo/house-price.json");
    static final String ONNX_MODEL_FILE = "/demo/iris-trees.json";

    private DemoModels() {
    }

    /**
     * A one-tree ensemble over the iris measurements, as skl2onnx would export a small DecisionTreeClassifier: input
     * {@code float_input} float [N, 4] in the order sepal_length, sepal_width, petal_length, petal_width; outputs
     * {@code output_label} and, through a ZipMap, {@code output_probability}.
     * <pre>
     * petal_length &lt;= 2.45                        -&gt; setosa 1.0
     * petal_length &gt; 2.45 and petal_width &lt;= 1.75 -&gt; versicolor 0.9, virginica 0.1
     * petal_length &gt; 2.45 and petal_width &gt; 1.75  -&gt; versicolor 0.05, virginica 0.95
     * </pre>
     */
    public static byte[] irisTrees() {
        Trees tree = new Trees()
                .branch(0, 0, 2, 2.45f, 1, 2)          // petal_length <= 2.45
                .leaf(0, 1, 1.0f, 0.0f, 0.0f)
                .branch(0, 2, 3, 1.75f, 3, 4)          // petal_width <= 1.75
                .leaf(0, 3, 0.0f, 0.9f, 0.1f)
                .leaf(0, 4, 0.0f, 0.05f, 0.95f);
        return OnnxGraphs.treeClassifierWithZipMap("simple-model-api demo", "iris_trees", 4, tree,
                "setosa", "versicolor", "virginica");
    }
}

package com.simplemodelapi.algorithm.onnx;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import com.simplemodelapi.spi.OutputSpec;

import java.util.List;
import java.util.Map;

/** Reads one graph output of a run into each instance's prediction, under the JSON name in {@link #field()}. */
interface OutputReader {
    String graphOutput();

    OutputSpec field();

    void read(OnnxValue value, List<Map<String, Object>> predictions) throws OrtException;
}

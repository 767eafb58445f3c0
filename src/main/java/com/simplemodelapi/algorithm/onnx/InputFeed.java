package com.simplemodelapi.algorithm.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import java.util.List;
import java.util.Map;

/** Turns a batch of checked instances into the graph's input tensors, for one run. */
interface InputFeed {
    /** The caller closes the tensors. */
    Map<String, OnnxTensor> tensors(OrtEnvironment env, List<Map<String, Object>> instances) throws OrtException;
}

package com.simplemodelapi.algorithm.onnx;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** ONNX Runtime session options, from the {@code onnx} section of the config. */
public class OnnxSettings {
    /** One by default: requests already run in parallel on all the cores. */
    @Min(1)
    @Max(256)
    private int intraOpThreads = 1;

    @NotNull
    private OptLevel optimizationLevel = OptLevel.ALL_OPT;

    @JsonProperty
    public int getIntraOpThreads() {
        return intraOpThreads;
    }

    @JsonProperty
    public void setIntraOpThreads(int intraOpThreads) {
        this.intraOpThreads = intraOpThreads;
    }

    /** NO_OPT, BASIC_OPT, EXTENDED_OPT or ALL_OPT. */
    @JsonProperty
    public OptLevel getOptimizationLevel() {
        return optimizationLevel;
    }

    @JsonProperty
    public void setOptimizationLevel(OptLevel optimizationLevel) {
        this.optimizationLevel = optimizationLevel;
    }
}

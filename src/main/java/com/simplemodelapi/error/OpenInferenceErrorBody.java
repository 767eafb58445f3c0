package com.simplemodelapi.error;

/** The Open Inference Protocol's error body: the message alone. */
public record OpenInferenceErrorBody(String error) {
}

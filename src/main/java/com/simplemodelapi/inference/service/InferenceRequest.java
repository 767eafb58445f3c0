package com.simplemodelapi.inference.service;

import java.util.List;

/**
 * An infer request as read: its {@code id} (null when none), its input tensors in the order sent, and the outputs
 * asked for by name (null for all of them). Its {@code parameters} are accepted and ignored.
 */
public record InferenceRequest(String id, List<InputTensor> inputs, List<String> outputs) {
}

package com.simplemodelapi.inference.service;

import java.util.List;

/** One input tensor of an infer request, as read: its shape as sent, and its data already in its datatype's type. */
public record InputTensor(String name, Datatype datatype, List<Long> shape, TensorData data) {
}

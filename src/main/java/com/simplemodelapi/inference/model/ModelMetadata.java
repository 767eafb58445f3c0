package com.simplemodelapi.inference.model;

import java.util.List;

/** {@code GET /v2/models/{name}}: the versions the caller may call, the algorithm, and the tensors in and out. */
public record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
                            List<TensorMetadata> outputs) {
}

package com.simplemodelapi.inference.model;

import java.util.List;

/** {@code GET /v2}: the server's name, version and the protocol extensions it speaks (none). */
public record ServerMetadata(String name, String version, List<String> extensions) {
}

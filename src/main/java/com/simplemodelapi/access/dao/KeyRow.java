package com.simplemodelapi.access.dao;

import java.time.Instant;

/**
 * What operators see of a key: its id, its owner, and the first characters after {@code sma_} (null for keys made
 * before prefixes were kept). Never the key nor its hash.
 */
public record KeyRow(long id, String user, String prefix, Instant createdAt, Instant revokedAt) {
}

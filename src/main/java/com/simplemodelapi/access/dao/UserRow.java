package com.simplemodelapi.access.dao;

import java.time.Instant;

/** A user with how many keys that still work and how many grants they hold. */
public record UserRow(String name, Instant createdAt, Instant disabledAt, long activeKeys, long grants) {
}

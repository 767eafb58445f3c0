package com.simplemodelapi.access.dao;

import java.time.Instant;

/** A grant as operators list it: who may call which model, since when. */
public record GrantRow(String user, String model, Instant createdAt) {
}

package com.simplemodelapi.access.model;

/** An active API key, known by its id, and the caller it authenticates. */
public record CallerKey(long keyId, Caller caller) {
}

package com.simplemodelapi.access.dao;

/** A key that can call: not revoked, and its user not disabled. By its hash, with the name of its user. */
public record ActiveKey(String userName, String keyHash) {
}

package com.simplemodelapi.access.dao;

/** A key that can call: not revoked, and its user not disabled. Its id and hash, with the name of its user. */
public record ActiveKey(long id, String userName, String keyHash) {
}

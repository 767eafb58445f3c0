package com.simplemodelapi.access.dao;

/** A key that has not been revoked: its id and hash, with the name of the user it belongs to. */
public record ActiveKey(long id, String userName, String keyHash) {
}

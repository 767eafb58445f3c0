package com.simplemodelapi.access.dao;

/** A key that has not been revoked, by its hash, with the name of the user it belongs to. */
public record ActiveKey(String userName, String keyHash) {
}

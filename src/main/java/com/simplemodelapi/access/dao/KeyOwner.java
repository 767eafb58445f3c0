package com.simplemodelapi.access.dao;

/** A stored key's id and the name of the user it belongs to: what the change log may say about a key. */
public record KeyOwner(long id, String userName) {
}

package com.simplemodelapi.access.service;

/**
 * A key just made, the only time it exists outside the caller's hands: its id and prefix, which are shown from then
 * on, and the key itself, to be shown once.
 */
public record IssuedKey(String user, long id, String prefix, String key) {

    /** Without the key, so that logging one by accident shows nothing secret. */
    @Override
    public String toString() {
        return "IssuedKey[user=" + user + ", id=" + id + ", prefix=" + prefix + "]";
    }
}

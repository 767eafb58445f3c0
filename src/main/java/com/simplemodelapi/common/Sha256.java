package com.simplemodelapi.common;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

public final class Sha256 {
    private static final HexFormat HEX = HexFormat.of();

    /** One per thread: getInstance searches the security providers on every call, and API keys are hashed per request. */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    });

    private Sha256() {
    }

    /** The SHA-256 of the bytes, as 64 lower-case hex digits. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(DIGEST.get().digest(bytes));
    }
}

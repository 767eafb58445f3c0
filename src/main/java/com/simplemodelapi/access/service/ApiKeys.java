package com.simplemodelapi.access.service;

import com.simplemodelapi.common.Sha256;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * API keys are 256 random bits. Because they are random rather than chosen by people, a plain SHA-256 is enough to
 * store them safely; a slow password hash would only slow down every request.
 */
public final class ApiKeys {
    private static final String PREFIX = "sma_";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** What {@link #generate()} makes: the prefix and 32 bytes in unpadded base64url. */
    private static final Pattern WELL_FORMED = Pattern.compile(PREFIX + "[A-Za-z0-9_-]{43}");
    /**
     * How many characters after {@code sma_} are kept to tell keys apart. 48 of the 256 bits: enough that an
     * operator's list never shows two alike, and what is left is still far beyond guessing.
     */
    public static final int SHOWN_CHARACTERS = 8;

    private ApiKeys() {
    }

    public static String generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** False for text that no key ever looked like, which can be refused without hashing it. */
    public static boolean isWellFormed(String key) {
        return key != null && WELL_FORMED.matcher(key).matches();
    }

    /** The first {@link #SHOWN_CHARACTERS} characters after {@code sma_}, kept and shown to tell keys apart. */
    public static String shownPrefix(String key) {
        if (!isWellFormed(key)) {
            throw new IllegalArgumentException("Not a key this service makes");
        }
        return key.substring(PREFIX.length(), PREFIX.length() + SHOWN_CHARACTERS);
    }

    public static String hash(String key) {
        return Sha256.hex(key.getBytes(StandardCharsets.UTF_8));
    }
}

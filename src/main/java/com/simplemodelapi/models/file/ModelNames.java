package com.simplemodelapi.models.file;

import java.util.regex.Pattern;

/** The one rule for model names: {@code models add} enforces it, and a path naming anything else is a 404. */
public final class ModelNames {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private ModelNames() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }
}

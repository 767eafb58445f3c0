package com.simplemodelapi.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project's version, as the build wrote it into {@code version.properties}. */
public final class ServiceVersion {
    private static final String FILE = "/com/simplemodelapi/version.properties";

    private ServiceVersion() {
    }

    public static String current() {
        try (InputStream in = ServiceVersion.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is missing from the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

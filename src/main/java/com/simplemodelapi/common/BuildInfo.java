package com.simplemodelapi.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What the build wrote into {@code build.properties}: the project's version, and what went into the jar. */
public final class BuildInfo {
    private static final String FILE = "/com/simplemodelapi/build.properties";

    private BuildInfo() {
    }

    public static String version() {
        return property("version");
    }

    /**
     * Whether the jar carries the embedded PostgreSQL's binaries: the plain build's does, the container image's
     * (built with {@code -Pcontainer}) does not.
     */
    public static boolean hasEmbeddedPostgres() {
        return Boolean.parseBoolean(property("embeddedPostgres"));
    }

    private static String property(String name) {
        try (InputStream in = BuildInfo.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is missing from the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

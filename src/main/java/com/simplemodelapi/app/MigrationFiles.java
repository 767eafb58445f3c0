package com.simplemodelapi.app;

import com.simplemodelapi.common.Sha256;
import liquibase.util.LiquibaseUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A fingerprint of what Liquibase reads when it migrates: the changelog, every file under the directory it includes,
 * on every class path root, by name and content, and Liquibase's version. Any change to a migration, a new one, or
 * another Liquibase changes it.
 */
final class MigrationFiles {
    static final String DIRECTORY = "migrations/";

    private MigrationFiles() {
    }

    /** As Liquibase sees them through {@code loader}, which finds a directory by its entry (Maven's jars have them). */
    static String fingerprint(ClassLoader loader) {
        try {
            List<String> lines = new ArrayList<>();
            lines.add("liquibase " + LiquibaseUtil.getBuildVersion());
            for (URL changelog : Collections.list(loader.getResources(DatabaseSetup.MIGRATIONS_FILE))) {
                lines.add(line(DatabaseSetup.MIGRATIONS_FILE, changelog));
            }
            for (URL directory : Collections.list(loader.getResources(DIRECTORY))) {
                lines.addAll(filesIn(directory));
            }
            Collections.sort(lines);
            return Sha256.hex(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the migrations: " + e.getMessage(), e);
        }
    }

    private static List<String> filesIn(URL directory) throws IOException {
        List<String> lines = new ArrayList<>();
        if ("jar".equals(directory.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) directory.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (JarEntry entry : Collections.list(jar.entries())) {
                    if (entry.getName().startsWith(DIRECTORY) && !entry.isDirectory()) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            lines.add(line(entry.getName(), in.readAllBytes()));
                        }
                    }
                }
            }
        } else {
            Path root = toPath(directory);
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String name = DIRECTORY + root.relativize(file).toString().replace('\\', '/');
                    lines.add(line(name, Files.readAllBytes(file)));
                }
            }
        }
        return lines;
    }

    private static String line(String name, URL resource) throws IOException {
        try (InputStream in = resource.openStream()) {
            return line(name, in.readAllBytes());
        }
    }

    private static String line(String name, byte[] content) {
        return name + " " + Sha256.hex(content);
    }

    private static Path toPath(URL directory) {
        try {
            return Path.of(directory.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot list the migrations in " + directory, e);
        }
    }
}

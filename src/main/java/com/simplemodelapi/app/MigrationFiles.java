package com.simplemodelapi.app;

import com.simplemodelapi.common.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A fingerprint of what Liquibase reads when it migrates: the changelog and every file under the directory it
 * includes, on every class path root, by name and content, and Liquibase's own build (another Liquibase may read the
 * same files differently). Any change to a migration, a new one, or another Liquibase changes it.
 */
final class MigrationFiles {
    private static final String DIRECTORY = "migrations/";
    private static final String LIQUIBASE_BUILD = "liquibase.build.properties";
    private static final List<String> FILES = List.of(LIQUIBASE_BUILD, DatabaseSetup.MIGRATIONS_FILE);

    private MigrationFiles() {
    }

    /**
     * As Liquibase sees them through {@code loader}, which finds a directory in a jar by its entry (Maven's jars have
     * them); empty when a class path root is neither a directory nor a jar file (a jar inside a jar, say). Each root
     * is read once: listing a jar means reading all its entries, which in this service's jar are some twenty thousand.
     */
    static Optional<String> fingerprint(ClassLoader loader) {
        try {
            List<String> lines = new ArrayList<>();
            for (String root : roots(loader)) {
                if (root.startsWith("file:")) {
                    lines.addAll(readDirectory(root));
                } else if (root.startsWith("jar:file:") && root.indexOf("!/") == root.length() - 2) {
                    lines.addAll(readJar(root));
                } else {
                    return Optional.empty();
                }
            }
            Collections.sort(lines);
            return Optional.of(Sha256.hex(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the migrations: " + e.getMessage(), e);
        }
    }

    /** The class path roots that hold any of the files, as URLs ending in "/" ("jar:file:/app.jar!/"). */
    private static Set<String> roots(ClassLoader loader) throws IOException {
        Set<String> roots = new LinkedHashSet<>();
        for (String name : List.of(LIQUIBASE_BUILD, DatabaseSetup.MIGRATIONS_FILE, DIRECTORY)) {
            for (URL resource : Collections.list(loader.getResources(name))) {
                String url = resource.toString();
                roots.add(url.substring(0, url.length() - name.length()));
            }
        }
        return roots;
    }

    private static boolean isRead(String name) {
        return FILES.contains(name) || name.startsWith(DIRECTORY) && !name.endsWith("/");
    }

    private static List<String> readJar(String root) throws IOException {
        Path jarPath = Path.of(URI.create(root.substring("jar:".length(), root.length() - "!/".length())));
        List<String> lines = new ArrayList<>();
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (isRead(entry.getName())) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        lines.add(line(entry.getName(), in.readAllBytes()));
                    }
                }
            }
        }
        return lines;
    }

    private static List<String> readDirectory(String root) throws IOException {
        Path base = Path.of(URI.create(root));
        List<String> lines = new ArrayList<>();
        for (String name : FILES) {
            Path file = base.resolve(name);
            if (Files.isRegularFile(file)) {
                lines.add(line(name, Files.readAllBytes(file)));
            }
        }
        Path directory = base.resolve(DIRECTORY);
        if (Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = base.relativize(file).toString().replace('\\', '/');
                    lines.add(line(name, Files.readAllBytes(file)));
                }
            }
        }
        return lines;
    }

    private static String line(String name, byte[] content) {
        return name + " " + Sha256.hex(content);
    }
}

package com.simplemodelapi.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The fingerprint changes whenever what Liquibase would read changes, and reads a jar as it reads a directory. */
class MigrationFilesTest {
    private static final Map<String, String> FILES = Map.of(
            "migrations.xml", "<databaseChangeLog/>",
            "migrations/0001_a.sql", "CREATE TABLE a (id INTEGER);",
            "migrations/0002_b.sql", "CREATE TABLE b (id INTEGER);");

    @TempDir
    Path temp;

    @Test
    void aJarAndADirectoryWithTheSameFilesHaveTheSameFingerprint() throws IOException {
        assertThat(fingerprint(jar(FILES))).isEqualTo(fingerprint(directory(FILES)));
    }

    @Test
    void anyChangeToTheMigrationsChangesIt() throws IOException {
        String original = fingerprint(jar(FILES));

        assertThat(fingerprint(jar(with("migrations/0003_c.sql", "CREATE TABLE c (id INTEGER);"))))
                .as("a new migration").isNotEqualTo(original);
        assertThat(fingerprint(jar(with("migrations/0002_b.sql", "CREATE TABLE b (id BIGINT);"))))
                .as("an edited migration").isNotEqualTo(original);
        assertThat(fingerprint(jar(with("migrations.xml", "<databaseChangeLog><!-- --></databaseChangeLog>"))))
                .as("an edited changelog").isNotEqualTo(original);
        assertThat(fingerprint(jar(with("migrations/nested/0004_d.sql", "CREATE TABLE d (id INTEGER);"))))
                .as("a migration in a sub-directory").isNotEqualTo(original);

        assertThat(fingerprint(jar(with("liquibase.build.properties", "build.version=9.9.9"))))
                .as("another Liquibase").isNotEqualTo(original);

        Map<String, String> renamed = new TreeMap<>(FILES);
        renamed.put("migrations/0002_renamed.sql", renamed.remove("migrations/0002_b.sql"));
        assertThat(fingerprint(jar(renamed))).as("a renamed migration").isNotEqualTo(original);
    }

    @Test
    void migrationsFromEveryClassPathRootCount() throws IOException {
        Path plugin = directory(Map.of("migrations/0100_plugin.sql", "CREATE TABLE p (id INTEGER);"));

        assertThat(fingerprint(jar(FILES), plugin)).isNotEqualTo(fingerprint(jar(FILES)));
    }

    @Test
    void thereIsNoneWhenAClassPathRootIsNeitherADirectoryNorAJarFile() throws IOException {
        URL remote = new URL("jar:https://example.com/app.jar!/migrations/");
        ClassLoader remoteJar = new ClassLoader(null) {
            @Override
            protected Enumeration<URL> findResources(String name) {
                return name.equals("migrations/") ? Collections.enumeration(List.of(remote))
                        : Collections.emptyEnumeration();
            }
        };

        assertThat(MigrationFiles.fingerprint(remoteJar)).isEmpty();
    }

    @Test
    void theMigrationsOfThisBuildHaveAFingerprint() {
        assertThat(MigrationFiles.fingerprint(getClass().getClassLoader())).hasValueSatisfying(
                fingerprint -> assertThat(fingerprint).matches("[0-9a-f]{64}"));
    }

    private static Map<String, String> with(String name, String content) {
        Map<String, String> files = new TreeMap<>(FILES);
        files.put(name, content);
        return files;
    }

    private static String fingerprint(Path... roots) throws IOException {
        URL[] urls = new URL[roots.length];
        for (int i = 0; i < roots.length; i++) {
            urls[i] = roots[i].toUri().toURL();
        }
        // No parent: only these roots, not this build's own migrations.
        try (URLClassLoader loader = new URLClassLoader(urls, null)) {
            return MigrationFiles.fingerprint(loader).orElseThrow();
        }
    }

    private Path directory(Map<String, String> files) throws IOException {
        Path root = Files.createTempDirectory(temp, "classes");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return root;
    }

    /** Laid out as Maven's jars are: a directory has an entry of its own, before its files. */
    private Path jar(Map<String, String> files) throws IOException {
        Path jar = Files.createTempFile(temp, "app", ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            Set<String> directories = new TreeSet<>();
            for (String name : new TreeMap<>(files).keySet()) {
                for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                    if (directories.add(name.substring(0, slash + 1))) {
                        zip.putNextEntry(new JarEntry(name.substring(0, slash + 1)));
                        zip.closeEntry();
                    }
                }
                zip.putNextEntry(new JarEntry(name));
                zip.write(files.get(name).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }
}

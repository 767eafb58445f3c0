package com.example.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plug-in API's jar, {@code target/simple-model-api-spi.jar}, which the build makes before the tests run: it holds
 * the plug-in API alone, and the README's example plug-in compiles with that jar, and nothing else, on the class path.
 */
class SpiJarTest {
    private static final Path SPI_JAR = Path.of("target", "simple-model-api-spi.jar");
    private static final Path EXAMPLE = Path.of("src", "test", "java", "com", "example", "rules",
            "ThresholdAlgorithm.java");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    @Test
    void holdsThePluginApiAndNothingElse() throws IOException {
        assertThat(SPI_JAR).as("built by mvn process-classes, before the tests").isRegularFile();
        try (JarFile jar = new JarFile(SPI_JAR.toFile())) {
            List<String> classes = jar.stream().map(ZipEntry::getName).filter(name -> name.endsWith(".class")).toList();
            assertThat(classes).contains("com/simplemodelapi/spi/Algorithm.class",
                    "com/simplemodelapi/spi/Evaluator.class", "com/simplemodelapi/spi/ModelSpec.class");
            assertThat(classes).allSatisfy(name -> assertThat(name).startsWith("com/simplemodelapi/spi/"));
        }
    }

    @Test
    void theReadmesExampleIsTheTestedPlugin() throws IOException {
        assertThat(readmeExample()).isEqualTo(Files.readString(EXAMPLE));
    }

    @Test
    void theReadmesExampleCompilesAgainstTheSpiJarAlone(@TempDir Path work) throws IOException {
        Path source = work.resolve("src/com/example/rules/ThresholdAlgorithm.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, readmeExample());
        Path classes = Files.createDirectories(work.resolve("classes"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler (the tests run on a JDK)").isNotNull();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int exit = javac.run(null, diagnostics, diagnostics, "-proc:none", "--release", "17",
                "-classpath", SPI_JAR.toAbsolutePath().toString(), "-d", classes.toString(), source.toString());

        assertThat(exit).as("javac with only the spi jar: %s", diagnostics.toString(StandardCharsets.UTF_8))
                .isZero();
        assertThat(classes.resolve("com/example/rules/ThresholdAlgorithm.class")).isRegularFile();
    }

    /** The Java block of the README's "Writing an algorithm" section. */
    private static String readmeExample() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("\n## Writing an algorithm\n");
        assertThat(section).as("the README's 'Writing an algorithm' section").isNotNegative();
        Matcher block = JAVA_BLOCK.matcher(readme);
        assertThat(block.find(section)).as("a java block in that section").isTrue();
        return block.group(1);
    }
}

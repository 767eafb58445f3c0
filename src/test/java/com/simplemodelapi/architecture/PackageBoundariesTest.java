package com.simplemodelapi.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The boundaries docs/design.md names ("Boundaries"), checked on the compiled classes: every dependency, not only
 * imports. The layers run from the command line at the top to the plug-in API at the bottom; a package may use its
 * own layer and the ones below it, never one above.
 */
class PackageBoundariesTest {
    private static final String ROOT = "com.simplemodelapi";
    private static final List<Set<String>> LAYERS_FROM_THE_TOP = List.of(
            Set.of("cli"),
            Set.of("app"),
            Set.of("prometheus"),
            Set.of("access.auth", "access.resource", "models.resource", "prediction.resource",
                    "inference.resource", "openapi", "usage.resource"),
            Set.of("prediction.service", "prediction.model", "inference.service", "inference.model", "usage.service"),
            Set.of("catalog"),
            Set.of("access.service", "models.service"),
            Set.of("changes.service"),
            Set.of("access.dao", "access.api", "access.model", "models.dao", "models.file", "models.api",
                    "changes.dao", "usage.dao", "usage.api"),
            Set.of("algorithm"),
            Set.of("algorithm.builtin", "algorithm.onnx"),
            Set.of("audit", "web"),
            Set.of("error"),
            Set.of("common"),
            Set.of("spi"));

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void everyPackageHasALayer() {
        Set<String> packages = new TreeSet<>();
        SERVER.forEach(javaClass -> packages.add(relative(javaClass.getPackageName())));
        assertThat(packages).as("the server's packages").contains("spi", "cli", "app");
        assertThat(packages).allSatisfy(name -> assertThat(layerOf(name)).as(name + "'s layer").isNotNegative());
    }

    @Test
    void noPackageUsesOneAboveIt() {
        Set<String> upwards = new TreeSet<>();
        for (JavaClass origin : SERVER) {
            for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                String from = relative(origin.getPackageName());
                String to = relative(dependency.getTargetClass().getPackageName());
                if (to != null && layerOf(to) < layerOf(from)) {
                    upwards.add(from + " -> " + to + " (" + dependency.getDescription() + ")");
                }
            }
        }
        assertThat(upwards).as("dependencies on a higher layer").isEmpty();
    }

    @Test
    void noTwoPackagesUseEachOther() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(SERVER);
    }

    @Test
    void noPackageUsesItsParent() {
        Set<String> upwards = new TreeSet<>();
        for (JavaClass origin : SERVER) {
            for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                String from = origin.getPackageName();
                String to = dependency.getTargetClass().getPackageName();
                if (to.startsWith(ROOT) && !to.equals(from) && from.startsWith(to + ".")) {
                    upwards.add(relative(from) + " -> " + relative(to));
                }
            }
        }
        assertThat(upwards).as("dependencies on an enclosing package").isEmpty();
    }

    @Test
    void thePluginApiUsesNothingElseOfTheServer() {
        noClasses().that().resideInAPackage(ROOT + ".spi")
                .should().dependOnClassesThat().resideOutsideOfPackages(ROOT + ".spi", "java..",
                        "com.codahale.metrics")
                .check(SERVER);
    }

    @Test
    void onlyTheCommandLineUsesTheCommandLine() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".cli")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".cli")
                .check(SERVER);
    }

    /** The package's name below the root, or null for a package outside the server. */
    private static String relative(String packageName) {
        return packageName.startsWith(ROOT + ".") ? packageName.substring(ROOT.length() + 1) : null;
    }

    private static int layerOf(String relativePackage) {
        return IntStream.range(0, LAYERS_FROM_THE_TOP.size())
                .filter(layer -> LAYERS_FROM_THE_TOP.get(layer).contains(relativePackage))
                .findFirst()
                .orElse(-1);
    }
}

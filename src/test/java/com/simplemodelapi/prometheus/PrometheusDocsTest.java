package com.simplemodelapi.prometheus;

import com.simplemodelapi.testing.Promtool;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/prometheus/: the scrape config and the alert rules an operator copies, checked by Prometheus's promtool. */
class PrometheusDocsTest {
    static final Path DOCS = Path.of("docs", "prometheus");

    static List<Path> ruleFiles() throws IOException {
        try (Stream<Path> files = Files.list(DOCS)) {
            return files.filter(file -> file.getFileName().toString().matches(".*rules.*\\.ya?ml")).sorted().toList();
        }
    }

    private static void assertPasses(String... arguments) {
        Promtool.Result result = Promtool.run(null, arguments);
        assertThat(result.exitCode()).as("promtool " + String.join(" ", arguments) + " said:\n" + result.output())
                .isZero();
    }

    @Test
    void theAlertRulesAreValid() throws IOException {
        Promtool.require();
        assertThat(ruleFiles()).isNotEmpty();
        for (Path rules : ruleFiles()) {
            assertPasses("check", "rules", rules.toString());
        }
    }

    @Test
    void theAlertsFireWhenTheyShouldAndOnlyThen() {
        assertPasses("test", "rules", DOCS.resolve("alerts.test.yml").toString());
    }

    @Test
    void theScrapeConfigIsValid() {
        assertPasses("check", "config", DOCS.resolve("prometheus.yml").toString());
    }
}

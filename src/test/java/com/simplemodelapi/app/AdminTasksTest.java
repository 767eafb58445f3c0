package com.simplemodelapi.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin port has no authentication, so it offers only the refresh task: Dropwizard's log-level task would let
 * anyone who reaches it switch Jetty to DEBUG, which logs Authorization headers.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminTasksTest {
    private static final DropwizardAppExtension<SimpleModelApiConfiguration> APP =
            TestApp.extension(TestPostgres.newDatabase(), Path.of("target/audit/admin-tasks.log"));

    private static Response post(String path) {
        return APP.client().target("http://localhost:" + APP.getAdminPort() + path).request().post(Entity.text(""));
    }

    @Test
    void theLogLevelTaskIsNotThereAndJettysLevelStaysAsConfigured() {
        Logger jetty = (Logger) LoggerFactory.getLogger("org.eclipse.jetty");
        Level before = jetty.getLevel();

        try (Response response = post("/tasks/log-level?logger=org.eclipse.jetty&level=DEBUG")) {
            assertThat(response.getStatus()).isEqualTo(404);
        }
        try (Response response = post("/tasks/log-level?logger=ROOT&level=TRACE")) {
            assertThat(response.getStatus()).isEqualTo(404);
        }

        assertThat(jetty.getLevel()).isEqualTo(before).isEqualTo(Level.INFO);
        assertThat(((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).getLevel()).isNotEqualTo(Level.TRACE);
    }

    @Test
    void noTaskButRefreshAnswers() {
        for (String path : new String[] {"/tasks/gc", "/tasks", "/tasks/", "/tasks/refresh/", "/tasks/nothing"}) {
            try (Response response = post(path)) {
                assertThat(response.getStatus()).as(path).isEqualTo(404);
            }
        }
        try (Response response = post("/tasks/refresh")) {
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.readEntity(String.class)).startsWith("Refreshed: ");
        }
    }
}

package com.simplemodelapi.inference;

import com.simplemodelapi.catalog.LiveCatalog;
import com.simplemodelapi.inference.model.ServerReady;
import com.simplemodelapi.inference.resource.InferenceServerResource;
import io.dropwizard.util.Duration;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server holds its connectors until the first catalog is loaded, so over HTTP "ready" is never seen false; this is
 * the answer it would give before that, for a probe that reached it.
 */
class InferenceServerResourceTest {

    @Test
    void notReadyBeforeTheFirstCatalogIsLoaded() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            LiveCatalog neverLoaded = new LiveCatalog(null, scheduler, Duration.seconds(30), Clock.systemUTC());
            Response response = new InferenceServerResource(neverLoaded, "simple-model-api", "1").ready();
            assertThat(response.getStatus()).isEqualTo(503);
            assertThat(response.getEntity()).isEqualTo(new ServerReady(false));
        } finally {
            scheduler.shutdownNow();
        }
    }
}

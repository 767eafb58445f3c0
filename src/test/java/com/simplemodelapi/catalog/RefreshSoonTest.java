package com.simplemodelapi.catalog;

import com.codahale.metrics.MetricRegistry;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LiveCatalog#refreshSoon}, which every notification of a change calls: it returns at once, a burst of requests
 * costs one refresh, and every request is followed by a refresh that began after it.
 */
class RefreshSoonTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aBurstDuringARefreshCostsOneMoreRefreshThatBeginsAfterIt() throws Exception {
        Jdbi jdbi = TestPostgres.newMigratedJdbi();
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch firstBegan = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LiveCatalog catalog = new LiveCatalog(new CatalogLoader(jdbi, Algorithms.discover(), new MetricRegistry(),
                Jackson.newObjectMapper()) {
            @Override
            public Catalog load(Catalog previous) {
                if (loads.incrementAndGet() == 1) {
                    firstBegan.countDown();
                    await(release);
                }
                return super.load(previous);
            }
        }, scheduler, Duration.hours(1), Clock.systemUTC());

        catalog.refreshSoon();
        await(firstBegan);
        for (int i = 0; i < 20; i++) {
            catalog.refreshSoon();
        }
        release.countDown();

        Poll.until(Poll.PATIENCE, loads::get, n -> n >= 2, "the refresh asked for during the first");
        // Anything queued on the refresh thread after the burst's refresh runs after it too.
        scheduler.submit(() -> { }).get(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(loads.get()).as("twenty requests during one refresh cost one more").isEqualTo(2);
        assertThat(catalog.lastOutcome().failure()).isNull();
    }

    @Test
    void aRequestAfterTheCatalogStoppedIsIgnored() {
        LiveCatalog catalog = new LiveCatalog(new CatalogLoader(TestPostgres.newMigratedJdbi(), Algorithms.discover(),
                new MetricRegistry(), Jackson.newObjectMapper()), scheduler, Duration.hours(1), Clock.systemUTC());
        catalog.stop();

        catalog.refreshSoon();
        catalog.refreshSoon();

        assertThat(catalog.lastOutcome().at()).as("no refresh ran").isNull();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the latch").isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}

package com.simplemodelapi.catalog;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import com.simplemodelapi.access.service.ApiKeys;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.SettableClock;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The live catalog's refreshes: they go on after any failure short of a broken JVM, and stale ones are reported. */
class LiveCatalogTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SettableClock clock = new SettableClock(Instant.parse("2031-03-14T10:00:00Z"));
    private Jdbi jdbi;
    private TestData data;

    @BeforeEach
    void database() {
        jdbi = TestPostgres.newMigratedJdbi();
        data = new TestData(jdbi);
    }

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void scheduledRefreshesGoOnAfterARefreshThatThrowsAnError() throws Exception {
        String key = data.user("alice");
        ErrorOnDemandLoader loader = new ErrorOnDemandLoader(jdbi);
        LiveCatalog catalog = new LiveCatalog(loader, scheduler, Duration.milliseconds(50), clock);
        catalog.start();
        catalog.awaitFirstLoad();
        int loadsBefore = loader.loads.get();

        loader.errorsToThrow.set(2);
        Poll.until(Poll.PATIENCE, loader.loads::get, loads -> loads >= loadsBefore + 2, "two refreshes that fail");
        data.access().revokeKey(key);

        Poll.until(Poll.PATIENCE, () -> catalog.current().keyWithHash(ApiKeys.hash(key)).isPresent(),
                present -> !present, "the revoked key gone from the catalog");
        assertThat(catalog.lastOutcome().failure()).isNull();
    }

    @Test
    void aRefreshThatThrowsAnErrorIsRecordedAsAFailure() {
        ErrorOnDemandLoader loader = new ErrorOnDemandLoader(jdbi);
        LiveCatalog catalog = new LiveCatalog(loader, scheduler, Duration.seconds(30), clock);
        Catalog good = catalog.refresh();

        loader.errorsToThrow.set(1);
        assertThatThrownBy(catalog::refresh).isInstanceOf(NoClassDefFoundError.class);

        assertThat(catalog.current()).isSameAs(good);
        assertThat(catalog.lastOutcome().failure()).contains("com/example/Missing");
        assertThat(new ModelsHealthCheck(catalog).execute().isHealthy()).isFalse();
    }

    @Test
    void theHealthCheckTurnsUnhealthyWhenNoRefreshHasWorkedForThreeIntervals() {
        LiveCatalog catalog = new LiveCatalog(new ErrorOnDemandLoader(jdbi), scheduler, Duration.seconds(30), clock);
        assertThat(catalog.isStale()).as("before the first load").isTrue();
        assertThat(catalog.ageSeconds()).isEqualTo(-1);
        catalog.refresh();

        clock.advance(java.time.Duration.ofSeconds(90));
        assertThat(catalog.ageSeconds()).isEqualTo(90.0);
        assertThat(new ModelsHealthCheck(catalog).execute().isHealthy()).as("exactly three intervals").isTrue();

        clock.advance(java.time.Duration.ofSeconds(1));
        HealthCheck.Result stale = new ModelsHealthCheck(catalog).execute();
        assertThat(stale.isHealthy()).isFalse();
        assertThat(stale.getMessage()).startsWith("No catalog refresh has worked since 2031-03-14T10:00:00Z (91 s ago)");

        catalog.refresh();
        assertThat(catalog.ageSeconds()).isZero();
        assertThat(new ModelsHealthCheck(catalog).execute().isHealthy()).isTrue();
    }

    @Test
    void aSlowRefreshUnderWayKeepsTheCatalogFromBeingStaleUntilItHasRunForThreeIntervals() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        LiveCatalog catalog = new LiveCatalog(new ErrorOnDemandLoader(jdbi) {
            @Override
            public Catalog load(Catalog previous) {
                if (previous != Catalog.EMPTY) {
                    loading.countDown();
                    await(finish);
                }
                return super.load(previous);
            }
        }, scheduler, Duration.seconds(30), clock);
        catalog.refresh();
        clock.advance(java.time.Duration.ofSeconds(60));
        CompletableFuture<Catalog> slow = CompletableFuture.supplyAsync(catalog::refresh);
        await(loading);

        clock.advance(java.time.Duration.ofSeconds(60));
        assertThat(catalog.isStale()).as("the last success 120 s ago, but a refresh began 60 s ago and goes on")
                .isFalse();
        clock.advance(java.time.Duration.ofSeconds(31));
        assertThat(catalog.isStale()).as("a refresh that has gone on for over three intervals").isTrue();

        finish.countDown();
        slow.get(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(catalog.isStale()).isFalse();
    }

    @Test
    void theCatalogLoadedCheckPassesFromTheFirstLoadThatWorksAndThroughEveryFailedRefreshAfterIt() {
        ErrorOnDemandLoader loader = new ErrorOnDemandLoader(jdbi);
        LiveCatalog catalog = new LiveCatalog(loader, scheduler, Duration.seconds(30), clock);
        CatalogLoadedCheck loaded = new CatalogLoadedCheck(catalog);
        HealthCheck.Result before = loaded.execute();
        assertThat(before.isHealthy()).as("before any load").isFalse();
        assertThat(before.getMessage()).isEqualTo("The catalog has not been loaded yet");
        loader.errorsToThrow.set(1);
        assertThatThrownBy(catalog::refresh).isInstanceOf(NoClassDefFoundError.class);
        assertThat(loaded.execute().isHealthy()).as("after a first load that failed").isFalse();

        catalog.refresh();
        assertThat(loaded.execute().isHealthy()).isTrue();
        assertThat(loaded.execute().getMessage()).isEqualTo("Serving the catalog loaded at 2031-03-14T10:00:00Z");

        // PostgreSQL gone for an hour: the catalog is stale and the models check says so, but the server can answer.
        loader.errorsToThrow.set(1);
        assertThatThrownBy(catalog::refresh).isInstanceOf(NoClassDefFoundError.class);
        clock.advance(java.time.Duration.ofHours(1));
        assertThat(new ModelsHealthCheck(catalog).execute().isHealthy()).isFalse();
        assertThat(loaded.execute().isHealthy()).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(Poll.PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the latch").isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The real loader, which throws an Error instead of loading as many times as it is told to. */
    private static class ErrorOnDemandLoader extends CatalogLoader {
        final AtomicInteger errorsToThrow = new AtomicInteger();
        final AtomicInteger loads = new AtomicInteger();

        ErrorOnDemandLoader(Jdbi jdbi) {
            super(jdbi, Algorithms.discover(), new MetricRegistry(), Jackson.newObjectMapper());
        }

        @Override
        public Catalog load(Catalog previous) {
            loads.incrementAndGet();
            if (errorsToThrow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new NoClassDefFoundError("com/example/Missing");
            }
            return super.load(previous);
        }
    }
}

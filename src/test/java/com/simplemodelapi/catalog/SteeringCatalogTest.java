package com.simplemodelapi.catalog;

import com.codahale.metrics.MetricRegistry;
import com.example.rules.CountedAlgorithm;
import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.access.model.CallerKey;
import com.simplemodelapi.access.service.ApiKeys;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.error.ApiException;
import com.simplemodelapi.models.service.ModelRetirement;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the catalog makes of disabled users and retired versions: nothing is deleted, only left out of serving. */
class SteeringCatalogTest {
    private Jdbi jdbi;
    private TestData data;
    private ModelRetirement retirement;
    private CatalogLoader loader;

    @BeforeEach
    void database() {
        jdbi = TestPostgres.newMigratedJdbi();
        data = new TestData(jdbi);
        retirement = new ModelRetirement(jdbi);
        loader = new CatalogLoader(jdbi, Algorithms.discover(), new MetricRegistry(), Jackson.newObjectMapper());
    }

    @Test
    void aDisabledUsersKeysAreNoCallersAndTheirGrantsComeBackWithThem() {
        String first = data.user("dora");
        String second = data.access().addKey("dora").key();
        String other = data.user("otto");
        data.linearModel("m1", 1.0);
        data.grant("dora", "m1");

        data.access().disableUser("dora");
        Catalog disabled = loader.load(Catalog.EMPTY);

        assertThat(disabled.keyWithHash(ApiKeys.hash(first)).map(CallerKey::caller)).isEmpty();
        assertThat(disabled.keyWithHash(ApiKeys.hash(second)).map(CallerKey::caller)).isEmpty();
        assertThat(disabled.keyWithHash(ApiKeys.hash(other)).map(CallerKey::caller)).isPresent();
        assertThat(disabled.callerCount()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM grants")).as("grants kept").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM api_keys WHERE revoked_at IS NULL")).as("keys kept").isEqualTo(3);

        data.access().enableUser("dora");
        Catalog enabled = loader.load(disabled);

        assertThat(enabled.keyWithHash(ApiKeys.hash(first)).map(CallerKey::caller)).contains(new Caller("dora", Set.of("m1")));
        assertThat(enabled.keyWithHash(ApiKeys.hash(second)).map(CallerKey::caller)).contains(new Caller("dora", Set.of("m1")));
    }

    @Test
    void aRetiredVersionIsNotServedAndTheLatestIsTheNewestNotRetired() {
        Caller caller = grantedCaller("rita", "priced");
        data.linearModel("priced", 1.0);
        data.linearModel("priced", 2.0);
        data.linearModel("priced", 3.0);
        Catalog before = loader.load(Catalog.EMPTY);
        ServedModel third = before.version(caller, "priced", 3).orElseThrow();

        retirement.retire("priced", 3);
        Catalog after = loader.load(before);

        assertThat(after.version(caller, "priced", 3)).isEmpty();
        assertThat(after.isRetired(caller, "priced", 3)).isTrue();
        assertThat(after.isRetired(caller, "priced", 2)).isFalse();
        assertThat(after.latest(caller, "priced")).map(ServedModel::version).contains(2);
        assertThat(after.versions(caller, "priced")).extracting(ServedModel::version).containsExactly(1, 2);
        assertThat(after.holds("priced", 3)).as("no metrics for a retired version").isFalse();
        assertThat(third.version()).isEqualTo(3);
    }

    @Test
    void aRetiredVersionsEvaluatorIsClosedAndARestoredOneBuiltAgain() throws Exception {
        Caller caller = grantedCaller("carla", "counted-model");
        data.model("""
                {"name": "counted-model", "algorithm": "counted", "inputs": [{"name": "x", "type": "number"}],
                 "parameters": {}}""");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        LiveCatalog live = new LiveCatalog(loader, scheduler, Duration.seconds(30), Clock.systemUTC());
        try {
            int openBefore = CountedAlgorithm.OPEN.get();
            live.refresh();
            assertThat(CountedAlgorithm.OPEN.get()).isEqualTo(openBefore + 1);

            retirement.retire("counted-model", 1);
            live.refresh();
            assertThat(CountedAlgorithm.OPEN.get()).as("the retired version's evaluator closed").isEqualTo(openBefore);
            assertThat(live.current().latest(caller, "counted-model")).isEmpty();

            retirement.restore("counted-model", 1);
            live.refresh();
            assertThat(CountedAlgorithm.OPEN.get()).as("built again").isEqualTo(openBefore + 1);
            assertThat(live.current().latest(caller, "counted-model").orElseThrow().isAvailable()).isTrue();
        } finally {
            live.stop();
        }
    }

    @Test
    void aVersionInTheMiddleCanBeRetiredAndRestoredAndIsServedAgain() {
        Caller caller = grantedCaller("remy", "middle");
        data.linearModel("middle", 1.0);
        data.linearModel("middle", 2.0);
        data.linearModel("middle", 3.0);
        retirement.retire("middle", 2);
        Catalog retired = loader.load(Catalog.EMPTY);
        assertThat(retired.versions(caller, "middle")).extracting(ServedModel::version).containsExactly(1, 3);
        assertThat(retired.latest(caller, "middle")).map(ServedModel::version).contains(3);

        retirement.restore("middle", 2);
        Catalog restored = loader.load(retired);

        assertThat(restored.version(caller, "middle", 2)).map(SteeringCatalogTest::predictAtOrigin).contains(2.0);
        assertThat(restored.isRetired(caller, "middle", 2)).isFalse();
    }

    @Test
    void aModelWhoseVersionsAreAllRetiredIsUnknownButAPinnedCallIsToldItIsRetired() {
        Caller caller = grantedCaller("gone", "gone-model");
        Caller stranger = grantedCaller("stranger", "other");
        data.linearModel("gone-model", 1.0);
        data.linearModel("gone-model", 2.0);
        data.linearModel("other", 5.0);
        retirement.retire("gone-model", 1);
        retirement.retire("gone-model", 2);

        Catalog catalog = loader.load(Catalog.EMPTY);

        assertThat(catalog.latest(caller, "gone-model")).isEmpty();
        assertThat(catalog.latestOfGranted(caller)).isEmpty();
        assertThat(catalog.modelCount()).isEqualTo(1);
        assertThat(catalog.allVersions()).extracting(ServedModel::name).containsExactly("other");
        assertThatThrownBy(() -> ModelLookup.latest(catalog, caller, "gone-model"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).startsWith("There is no such model");
                });
        assertThatThrownBy(() -> ModelLookup.version(catalog, caller, "gone-model", 2))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("not_found");
                    assertThat(e.getMessage()).isEqualTo("Version 2 of model 'gone-model' is retired: it is no longer"
                            + " served.");
                });
        assertThat(catalog.isRetired(stranger, "gone-model", 2)).as("only to whoever may call the model").isFalse();
        assertThatThrownBy(() -> ModelLookup.version(catalog, stranger, "gone-model", 2))
                .isInstanceOfSatisfying(ApiException.class, e ->
                        assertThat(e.getMessage()).startsWith("There is no such model"));
    }

    /** A user with a key and a grant for {@code model}, as the catalog will know them. */
    private Caller grantedCaller(String user, String model) {
        data.user(user);
        jdbi.useHandle(h -> h.execute("INSERT INTO grants (user_id, model_name) SELECT id, ? FROM users WHERE name = ?",
                model, user));
        return new Caller(user, Set.of(model));
    }

    private static double predictAtOrigin(ServedModel model) {
        return (double) model.evaluator().predictBatch(List.of(Map.of("x1", 0.0, "x2", 0.0))).get(0).get("prediction");
    }

    private long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}

package com.simplemodelapi.catalog;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import com.example.rules.CountedAlgorithm;
import com.simplemodelapi.access.model.Caller;
import com.simplemodelapi.access.service.ApiKeys;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.models.api.InputField;
import com.simplemodelapi.models.api.InputType;
import com.simplemodelapi.models.api.OutputField;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogLoaderTest {
    private Jdbi jdbi;
    private TestData data;
    private CatalogLoader loader;
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void database() {
        jdbi = TestPostgres.newMigratedJdbi();
        data = new TestData(jdbi);
        loader = new CatalogLoader(jdbi, Algorithms.discover(), new MetricRegistry(), Jackson.newObjectMapper());
    }

    @AfterEach
    void stopScheduler() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private static Caller caller(Catalog catalog, String key) {
        return catalog.keyWithHash(ApiKeys.hash(key)).orElseThrow().caller();
    }

    private static double predictAtOrigin(ServedModel model) {
        return (double) model.evaluator().predictBatch(List.of(Map.of("x1", 0.0, "x2", 0.0))).get(0).get("prediction");
    }

    private void insertUnknownAlgorithmVersion(String name) {
        insertVersion(name, 1, "no-such-algorithm");
    }

    /** A version stored behind the CLI's back, which would refuse one that cannot be built. */
    private void insertVersion(String name, int version, String algorithm) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO model_versions (name, version, description, algorithm,"
                        + " inputs, parameters) VALUES (:name, :version, 'broken on purpose', :algorithm,"
                        + " CAST(:inputs AS json), CAST('{}' AS json))")
                .bind("name", name)
                .bind("version", version)
                .bind("algorithm", algorithm)
                .bind("inputs", "[{\"name\": \"x\", \"type\": \"number\", \"required\": true}]")
                .execute());
    }

    private LiveCatalog liveCatalog() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        return new LiveCatalog(loader, scheduler, Duration.seconds(30), Clock.systemUTC());
    }

    @Test
    void findsCallersByTheHashOfTheirKeysWithTheirGrants() {
        String aliceKey = data.user("alice");
        String aliceSecondKey = data.access().addKey("alice").key();
        String bobKey = data.user("bob");
        data.linearModel("m1", 1.0);
        data.linearModel("m2", 2.0);
        data.grant("alice", "m1");
        data.grant("alice", "m2");
        data.grant("bob", "m2");

        Catalog catalog = loader.load(Catalog.EMPTY);

        assertThat(caller(catalog, aliceKey)).isEqualTo(new Caller("alice", Set.of("m1", "m2")));
        assertThat(caller(catalog, aliceSecondKey)).isEqualTo(new Caller("alice", Set.of("m1", "m2")));
        assertThat(caller(catalog, bobKey)).isEqualTo(new Caller("bob", Set.of("m2")));
        assertThat(catalog.callerKeyCount()).isEqualTo(3);
        assertThat(catalog.keyWithHash(aliceKey)).as("the key itself is not a lookup key").isEmpty();
        assertThat(catalog.keyWithHash(ApiKeys.hash(ApiKeys.generate()))).isEmpty();
        assertThat(catalog.keyWithHash(ApiKeys.hash(aliceSecondKey)).orElseThrow().keyId())
                .as("which of alice's keys it is").isEqualTo(data.keyId(aliceSecondKey))
                .isNotEqualTo(data.keyId(aliceKey));
    }

    @Test
    void aRevokedKeyDisappearsOnTheNextLoad() {
        String revoked = data.user("carol");
        String kept = data.access().addKey("carol").key();
        Catalog before = loader.load(Catalog.EMPTY);
        assertThat(before.keyWithHash(ApiKeys.hash(revoked))).isPresent();

        data.access().revokeKey(revoked);
        Catalog after = loader.load(before);

        assertThat(after.keyWithHash(ApiKeys.hash(revoked))).isEmpty();
        assertThat(after.keyWithHash(ApiKeys.hash(kept))).isPresent();
        assertThat(after.callerKeyCount()).isEqualTo(1);
    }

    @Test
    void grantsMadeSinceTheLastLoadAreSeenOnTheNext() {
        String key = data.user("dave");
        data.linearModel("later", 1.0);
        Catalog before = loader.load(Catalog.EMPTY);
        assertThat(before.latest(caller(before, key), "later")).isEmpty();

        data.grant("dave", "later");
        Catalog after = loader.load(before);

        assertThat(after.latest(caller(after, key), "later")).isPresent();
    }

    /** A request finds its caller in one catalog and its models in the next when a refresh falls in between. */
    @Test
    void aCatalogAnswersWithItsOwnGrantsForACallerFoundInTheOneBefore() {
        String key = data.user("frank");
        data.linearModel("was-granted", 1.0);
        data.linearModel("now-granted", 2.0);
        data.grant("frank", "was-granted");
        Catalog before = loader.load(Catalog.EMPTY);
        Caller foundBefore = caller(before, key);

        data.access().removeGrant("frank", "was-granted");
        data.grant("frank", "now-granted");
        Catalog after = loader.load(before);

        assertThat(after.latest(foundBefore, "was-granted")).isEmpty();
        assertThat(after.version(foundBefore, "was-granted", 1)).isEmpty();
        assertThat(after.latest(foundBefore, "now-granted")).isPresent();
        assertThat(after.latestOfGranted(foundBefore)).extracting(ServedModel::name).containsExactly("now-granted");
    }

    @Test
    void aUserWithoutGrantsHasAnEmptySet() {
        String key = data.user("erin");
        data.linearModel("m1", 1.0);

        Catalog catalog = loader.load(Catalog.EMPTY);

        Caller erin = caller(catalog, key);
        assertThat(erin.name()).isEqualTo("erin");
        assertThat(erin.grantedModels()).isEmpty();
        assertThat(catalog.latestOfGranted(erin)).isEmpty();
        assertThat(catalog.latest(erin, "m1")).isEmpty();
    }

    @Test
    void aModelThatIsNotGrantedIsInvisibleThoughStored() {
        String key = data.user("frank");
        data.linearModel("public", 1.0);
        data.linearModel("secret", 2.0);
        data.grant("frank", "public");

        Catalog catalog = loader.load(Catalog.EMPTY);
        Caller frank = caller(catalog, key);

        assertThat(catalog.allVersions()).extracting(ServedModel::name).containsExactlyInAnyOrder("public", "secret");
        assertThat(catalog.latest(frank, "secret")).isEmpty();
        assertThat(catalog.version(frank, "secret", 1)).isEmpty();
        assertThat(catalog.latest(frank, "public")).isPresent();
        assertThat(catalog.latestOfGranted(frank)).extracting(ServedModel::name).containsExactly("public");
    }

    @Test
    void latestPicksTheHighestVersion() {
        String key = data.user("grace");
        data.linearModel("m", 1.0);
        data.linearModel("m", 2.0);
        data.linearModel("m", 3.0);
        data.linearModel("other", 9.0);
        data.grant("grace", "m");

        Catalog catalog = loader.load(Catalog.EMPTY);
        Caller grace = caller(catalog, key);

        ServedModel latest = catalog.latest(grace, "m").orElseThrow();
        assertThat(latest.version()).isEqualTo(3);
        assertThat(predictAtOrigin(latest)).isEqualTo(3.0);
        ServedModel second = catalog.version(grace, "m", 2).orElseThrow();
        assertThat(second.version()).isEqualTo(2);
        assertThat(predictAtOrigin(second)).isEqualTo(2.0);
        assertThat(catalog.version(grace, "m", 4)).isEmpty();
        assertThat(catalog.latestOfGranted(grace)).containsExactly(latest);
    }

    @Test
    void describesEachVersionFromWhatWasStored() {
        String key = data.user("heidi");
        data.linearModel("m", 1.0);
        data.grant("heidi", "m");

        Catalog catalog = loader.load(Catalog.EMPTY);
        ServedModel model = catalog.latest(caller(catalog, key), "m").orElseThrow();

        assertThat(model.isAvailable()).isTrue();
        assertThat(model.loadError()).isNull();
        assertThat(model.view().algorithm()).isEqualTo("linear-regression");
        assertThat(model.view().description()).isEqualTo("test");
        assertThat(model.view().inputs()).containsExactly(
                new InputField("x1", InputType.NUMBER, true), new InputField("x2", InputType.NUMBER, true));
        assertThat(model.view().outputs()).containsExactly(new OutputField("prediction", "number"));
        assertThat(model.view().createdAt()).isNotNull();
    }

    @Test
    void reusesTheEvaluatorOfAnUnchangedVersion() {
        String key = data.user("ivan");
        data.linearModel("m", 1.0);
        data.grant("ivan", "m");
        Catalog first = loader.load(Catalog.EMPTY);
        ServedModel v1 = first.latest(caller(first, key), "m").orElseThrow();

        data.linearModel("m", 2.0);
        Catalog second = loader.load(first);

        Caller ivan = caller(second, key);
        assertThat(second.version(ivan, "m", 1).orElseThrow().evaluator()).isSameAs(v1.evaluator());
        ServedModel v2 = second.latest(ivan, "m").orElseThrow();
        assertThat(v2.version()).isEqualTo(2);
        assertThat(predictAtOrigin(v2)).isEqualTo(2.0);

        Catalog fresh = loader.load(Catalog.EMPTY);
        assertThat(fresh.version(caller(fresh, key), "m", 1).orElseThrow().evaluator())
                .as("built anew without a previous catalog")
                .isNotSameAs(v1.evaluator());
    }

    @Test
    void aVersionWithAnUnknownAlgorithmIsUnavailableAndDoesNotStopOthers() {
        String key = data.user("judy");
        data.linearModel("good", 1.0);
        insertUnknownAlgorithmVersion("broken");
        data.grant("judy", "good");
        data.grant("judy", "broken");

        Catalog catalog = loader.load(Catalog.EMPTY);
        Caller judy = caller(catalog, key);

        ServedModel broken = catalog.latest(judy, "broken").orElseThrow();
        assertThat(broken.isAvailable()).isFalse();
        assertThat(broken.evaluator()).isNull();
        assertThat(broken.loadError()).contains("Unknown algorithm 'no-such-algorithm'");
        assertThat(broken.view().inputs()).containsExactly(new InputField("x", InputType.NUMBER, true));
        assertThat(broken.view().outputs()).isEmpty();

        ServedModel good = catalog.latest(judy, "good").orElseThrow();
        assertThat(good.isAvailable()).isTrue();
        assertThat(predictAtOrigin(good)).isEqualTo(1.0);
        assertThat(catalog.allVersions()).hasSize(2);

        // A stored version cannot change, so the next refresh keeps the failure rather than building it again.
        Catalog next = loader.load(catalog);
        assertThat(next.latest(judy, "broken").orElseThrow()).isSameAs(broken);
    }

    @Test
    void aVersionWhoseStoredInputsCannotBeReadIsUnavailable() {
        data.linearModel("good", 1.0);
        jdbi.useHandle(h -> h.execute("INSERT INTO model_versions (name, version, algorithm, inputs, parameters)"
                + " VALUES ('odd', 1, 'linear-regression', '[{\"name\": \"x\", \"type\": \"tensor\"}]', '{}')"));

        Catalog catalog = loader.load(Catalog.EMPTY);

        assertThat(catalog.allVersions()).filteredOn(ServedModel::isAvailable)
                .extracting(ServedModel::name).containsExactly("good");
        assertThat(catalog.allVersions()).filteredOn(m -> m.name().equals("odd")).singleElement()
                .satisfies(m -> assertThat(m.loadError()).contains("tensor"));
    }

    @Test
    void theHealthCheckNamesAVersionThatCannotBeServedInItsDetailsAndStaysHealthy() {
        data.linearModel("good", 1.0);
        insertUnknownAlgorithmVersion("broken");
        LiveCatalog live = liveCatalog();
        live.refresh();

        HealthCheck.Result result = new ModelsHealthCheck(live).execute();

        assertThat(result.isHealthy()).isTrue();
        assertThat(result.getMessage()).startsWith("2 model versions loaded at ").endsWith("; 1 cannot be served");
        assertThat(result.getDetails()).containsOnlyKeys("loaded_at", "unavailable_versions");
        assertThat(result.getDetails().get("unavailable_versions")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .containsExactly("broken v1: Unknown algorithm 'no-such-algorithm'. This server has: "
                        + String.join(", ", Algorithms.discover().names())
                        + ". A plug-in algorithm must be on the class path.");
    }

    @Test
    void theLatestIsTheNewestVersionThatCanBeServed() {
        String key = data.user("lena");
        data.linearModel("m", 1.0);
        data.linearModel("m", 2.0);
        insertVersion("m", 3, "no-such-algorithm");
        data.grant("lena", "m");

        Catalog catalog = loader.load(Catalog.EMPTY);
        Caller lena = caller(catalog, key);

        ServedModel latest = catalog.latest(lena, "m").orElseThrow();
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.view().available()).isTrue();
        assertThat(catalog.latestOfGranted(lena)).containsExactly(latest);
        ServedModel pinned = catalog.version(lena, "m", 3).orElseThrow();
        assertThat(pinned.isAvailable()).isFalse();
        assertThat(pinned.view().available()).isFalse();
        assertThat(catalog.unavailableVersions()).containsExactly(pinned);
    }

    @Test
    void aModelWithNoVersionThatCanBeServedStillHasALatestWhichIsUnavailable() {
        String key = data.user("milo");
        insertVersion("m", 1, "no-such-algorithm");
        insertVersion("m", 2, "no-such-algorithm");
        data.grant("milo", "m");

        Catalog catalog = loader.load(Catalog.EMPTY);

        ServedModel latest = catalog.latest(caller(catalog, key), "m").orElseThrow();
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.isAvailable()).isFalse();
    }

    @Test
    void aPlugInWhoseBuildThrowsAnErrorMakesOnlyItsVersionUnavailable() {
        String key = data.user("nina");
        data.linearModel("good", 1.0);
        insertVersion("unlinked", 1, "unlinkable");
        data.grant("nina", "good");
        data.grant("nina", "unlinked");

        Catalog catalog = loader.load(Catalog.EMPTY);

        Caller nina = caller(catalog, key);
        assertThat(catalog.latest(nina, "good").orElseThrow().isAvailable()).isTrue();
        ServedModel unlinked = catalog.latest(nina, "unlinked").orElseThrow();
        assertThat(unlinked.isAvailable()).isFalse();
        assertThat(unlinked.loadError())
                .isEqualTo("java.lang.NoClassDefFoundError: com/example/rules/MissingDependency");
    }

    @Test
    void aPlugInThatFailsWhenAskedForItsOutputsMakesOnlyItsVersionUnavailableAndIsClosed() {
        String key = data.user("pia");
        data.linearModel("good", 1.0);
        jdbi.useHandle(h -> h.execute("INSERT INTO model_versions (name, version, algorithm, inputs, parameters)"
                + " VALUES ('odd-outputs', 1, 'counted', '[{\"name\": \"x\", \"type\": \"number\"}]',"
                + " '{\"broken_outputs\": true}')"));
        data.grant("pia", "good");
        data.grant("pia", "odd-outputs");
        int openBefore = CountedAlgorithm.OPEN.get();

        Catalog catalog = loader.load(Catalog.EMPTY);

        Caller pia = caller(catalog, key);
        assertThat(catalog.latest(pia, "good").orElseThrow().isAvailable()).isTrue();
        ServedModel odd = catalog.latest(pia, "odd-outputs").orElseThrow();
        assertThat(odd.isAvailable()).isFalse();
        assertThat(odd.loadError()).contains("a plug-in bug in outputs()");
        assertThat(CountedAlgorithm.OPEN.get()).as("the evaluator that will not be served is closed")
                .isEqualTo(openBefore);
    }

    @Test
    void aDatabaseErrorReadingAnArtifactFailsTheLoadClosesWhatItBuiltAndTheVersionIsServedOnceItAnswers() {
        String key = data.user("olga");
        String counted = """
                {"name": "%s", "algorithm": "counted", "inputs": [{"name": "x", "type": "number"}], "parameters": {}}""";
        data.model(counted.formatted("plain"));
        data.model(counted.formatted("with-artifact"), new byte[] {1, 2, 3});
        data.grant("olga", "with-artifact");
        int openBefore = CountedAlgorithm.OPEN.get();

        jdbi.useHandle(h -> h.execute("ALTER TABLE model_artifacts RENAME COLUMN content TO content_away"));
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThatThrownBy(() -> loader.load(Catalog.EMPTY)).hasRootCauseInstanceOf(SQLException.class);
            assertThat(CountedAlgorithm.OPEN.get()).as("evaluators left open by failed load " + attempt)
                    .isEqualTo(openBefore);
        }

        jdbi.useHandle(h -> h.execute("ALTER TABLE model_artifacts RENAME COLUMN content_away TO content"));
        Catalog catalog = loader.load(Catalog.EMPTY);
        assertThat(catalog.latest(caller(catalog, key), "with-artifact").orElseThrow().isAvailable()).isTrue();
        assertThat(CountedAlgorithm.OPEN.get()).isEqualTo(openBefore + 2);
        catalog.allVersions().forEach(model -> model.evaluator().close());
    }

    @Test
    void theHealthCheckIsHealthyWhenEveryVersionLoads() {
        data.linearModel("good", 1.0);
        data.linearModel("good", 2.0);
        LiveCatalog live = liveCatalog();
        live.refresh();

        HealthCheck.Result result = new ModelsHealthCheck(live).execute();

        assertThat(result.isHealthy()).isTrue();
        assertThat(result.getMessage()).startsWith("2 model versions loaded at ");
    }

    @Test
    void aFailedRefreshKeepsTheLastCatalogAndMakesTheHealthCheckUnhealthy() {
        String key = data.user("kim");
        data.linearModel("m", 1.0);
        data.grant("kim", "m");
        LiveCatalog live = liveCatalog();
        Catalog good = live.refresh();

        jdbi.useHandle(h -> h.execute("ALTER TABLE model_versions RENAME TO model_versions_gone"));
        assertThatThrownBy(live::refresh).isInstanceOf(RuntimeException.class);

        assertThat(live.current()).isSameAs(good);
        assertThat(live.current().latest(caller(live.current(), key), "m")).isPresent();
        assertThat(live.lastOutcome().failure()).isNotNull();
        HealthCheck.Result result = new ModelsHealthCheck(live).execute();
        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).startsWith("The last catalog refresh, at ").contains("failed");

        jdbi.useHandle(h -> h.execute("ALTER TABLE model_versions_gone RENAME TO model_versions"));
        live.refresh();
        assertThat(new ModelsHealthCheck(live).execute().isHealthy()).isTrue();
    }
}

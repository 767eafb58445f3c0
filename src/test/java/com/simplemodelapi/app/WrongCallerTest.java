package com.simplemodelapi.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.access.service.ApiKeys;
import com.simplemodelapi.models.service.ModelRetirement;
import com.simplemodelapi.testing.RawHttp;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everyone who should not get an answer: callers without a valid key get the same 401 everywhere, callers with a
 * key get, for any model that is not theirs, a 404 byte for byte like the one for a model that never existed.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WrongCallerTest {
    private static final String DATABASE = TestPostgres.newMigratedDatabase();
    // No background refresh: what the server knows changes only when setUp asks.
    static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE,
            Path.of("target", "audit", "WrongCallerTest-" + UUID.randomUUID() + ".log").toAbsolutePath(),
            ConfigOverride.config("refreshInterval", "1h"));

    private static final String INPUTS = "{\"inputs\": {\"x1\": 3, \"x2\": 1}}";
    private static final String REALM = "Bearer realm=\"simple-model-api\"";

    /**
     * alice may call "shared" (versions 1 and 2); bob may call "private", and "retired-model", whose one version is
     * retired; nobody may call nothing; carol, who may call "shared", is disabled.
     */
    private static String alice;
    private static String aliceRevoked;
    private static String bob;
    private static String nobody;
    private static String carolDisabled;

    @BeforeAll
    static void setUp() {
        TestData data = new TestData(DATABASE);
        alice = data.user("alice");
        aliceRevoked = data.access().addKey("alice").key();
        bob = data.user("bob");
        nobody = data.user("nobody");
        data.linearModel("shared", 1.0);
        data.linearModel("shared", 2.0);
        data.linearModel("private", 3.0);
        data.grant("alice", "shared");
        data.grant("bob", "private");
        data.access().revokeKey(aliceRevoked);
        carolDisabled = data.user("carol");
        data.grant("carol", "shared");
        data.access().disableUser("carol");
        data.linearModel("retired-model", 4.0);
        data.grant("bob", "retired-model");
        new ModelRetirement(data.jdbi()).retire("retired-model", 1);
        RawHttp.send("POST", admin("/tasks/refresh"), List.of(), null);
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** One of the calls the API has; {@code path} may hold {name} and {version}. */
    record Endpoint(String method, String path) {
        static final List<Endpoint> NAMING_A_MODEL = List.of(
                new Endpoint("GET", "/v1/models/{name}"),
                new Endpoint("GET", "/v1/models/{name}/versions/{version}"),
                new Endpoint("POST", "/v1/models/{name}/predict"),
                new Endpoint("POST", "/v1/models/{name}/versions/{version}/predict"));
        static final List<Endpoint> NAMING_A_VERSION = List.of(NAMING_A_MODEL.get(1), NAMING_A_MODEL.get(3));
        static final List<Endpoint> ALL = Stream.concat(NAMING_A_MODEL.stream(),
                Stream.of(new Endpoint("GET", "/v1/models"), new Endpoint("GET", "/v1/me"),
                        new Endpoint("GET", "/v1/usage"))).toList();

        String path(String name, String version) {
            return path.replace("{name}", name).replace("{version}", version);
        }

        HttpResponse<String> call(String name, String version, List<String> authorization, String query) {
            String url = api(path(name, version)) + (query == null ? "" : "?" + query);
            return RawHttp.send(method, url, authorization, method.equals("POST") ? INPUTS : null);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A way of not sending a valid key: the Authorization headers sent, and a query string. */
    record WrongKey(String description, List<String> authorization, String query) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static String api(String path) {
        return "http://localhost:" + APP.getLocalPort() + path;
    }

    private static String admin(String path) {
        return "http://localhost:" + APP.getAdminPort() + path;
    }

    private static List<String> bearer(String key) {
        return List.of("Bearer " + key);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return TestData.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON (status " + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** The one error shape, with the request id of the response header. */
    private static void assertErrorShape(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.at("/error/code").asText()).isEqualTo(code);
        assertThat(body.at("/error/details").isArray()).isTrue();
        assertThat(body.get("request_id").asText())
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    /** Header names, less those that differ between any two responses. */
    private static Set<String> headerNames(HttpResponse<String> response) {
        Set<String> names = new TreeSet<>(response.headers().map().keySet());
        names.removeAll(Set.of("date", "x-request-id"));
        return names;
    }

    private static void assertSameAnswer(HttpResponse<String> actual, HttpResponse<String> expected, String what) {
        assertThat(actual.statusCode()).as(what + ": " + actual.body()).isEqualTo(expected.statusCode());
        assertThat(RawHttp.withoutRequestId(actual.body())).as(what).isEqualTo(RawHttp.withoutRequestId(expected.body()));
        assertThat(headerNames(actual)).as(what).isEqualTo(headerNames(expected));
        for (String header : List.of("content-type", "www-authenticate")) {
            assertThat(actual.headers().allValues(header)).as(what + " " + header)
                    .isEqualTo(expected.headers().allValues(header));
        }
    }

    // --- 401: no valid key ----------------------------------------------------------------------------------------

    /** (A space after a valid key is not here: HTTP trims it from the header value before anyone sees it.) */
    static Stream<WrongKey> wrongKeys() {
        String basic = Base64.getEncoder().encodeToString(("alice:" + alice).getBytes(StandardCharsets.UTF_8));
        String wellFormedButUnknown = ApiKeys.generate();
        return Stream.of(
                new WrongKey("no Authorization header", List.of(), null),
                new WrongKey("'Bearer' alone", List.of("Bearer"), null),
                new WrongKey("'Bearer ' and nothing", List.of("Bearer "), null),
                new WrongKey("Basic credentials", List.of("Basic " + basic), null),
                new WrongKey("a valid key under Basic", List.of("Basic " + alice), null),
                new WrongKey("a valid key without a scheme", List.of(alice), null),
                new WrongKey("a valid key under another scheme", List.of("Token " + alice), null),
                new WrongKey("two spaces before a valid key", List.of("Bearer  " + alice), null),
                new WrongKey("a tab before a valid key", List.of("Bearer\t" + alice), null),
                new WrongKey("a valid key with one character more", List.of("Bearer " + alice + "A"), null),
                new WrongKey("a valid key without its prefix", bearer(alice.substring(4)), null),
                new WrongKey("a key with characters no key has", bearer("sma_" + "!@#$%^&*()".repeat(4) + "+/="), null),
                new WrongKey("a 7 KB key", bearer("sma_" + "A".repeat(7 * 1024)), null),
                new WrongKey("an unknown well-formed key", bearer(wellFormedButUnknown), null),
                new WrongKey("a revoked key", bearer(aliceRevoked), null),
                new WrongKey("a disabled user's key", bearer(carolDisabled), null),
                new WrongKey("two Authorization headers, both valid keys", List.of("Bearer " + alice, "Bearer " + bob), null),
                new WrongKey("a valid key in the access_token query parameter", List.of(), "access_token=" + alice));
    }

    static Stream<Arguments> wrongKeysAtEveryEndpoint() {
        return wrongKeys().flatMap(key -> Endpoint.ALL.stream().map(endpoint -> Arguments.of(key, endpoint)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("wrongKeysAtEveryEndpoint")
    void withoutAValidKeyEveryCallIsTheSame401(WrongKey key, Endpoint endpoint) {
        HttpResponse<String> reference = RawHttp.send("GET", api("/v1/me"), List.of(), null);
        assertErrorShape(reference, 401, "unauthorized");
        assertThat(reference.headers().allValues("WWW-Authenticate")).containsExactly(REALM);

        HttpResponse<String> response = endpoint.call("shared", "1", key.authorization(), key.query());
        assertErrorShape(response, 401, "unauthorized");
        assertSameAnswer(response, reference, key + " at " + endpoint);
    }

    /** Authentication comes first: without a key, a path that cannot name a model is a 401 like any other. */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/models/Not%20A%20Model", "/v1/models/UPPER", "/v1/models/shared/versions/01",
            "/v1/models/shared/versions/-1/predict", "/v1/models/nothing-here/versions/1"})
    void withoutAKeyAPathThatCannotNameAModelIs401Too(String path) {
        String method = path.endsWith("/predict") ? "POST" : "GET";
        HttpResponse<String> response = RawHttp.send(method, api(path), List.of(), method.equals("POST") ? INPUTS : null);
        assertSameAnswer(response, RawHttp.send("GET", api("/v1/me"), List.of(), null), path);
    }

    /** Jetty refuses headers over 8 KiB before the application sees the request: a 431, not in the error shape. */
    @Test
    void aKeyTooLargeForAHeaderIsRefusedAndNotEchoed() {
        String huge = "sma_" + "Q".repeat(10 * 1024);
        HttpResponse<String> response = RawHttp.send("GET", api("/v1/me"), bearer(huge), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(431);
        assertThat(response.body()).doesNotContain("QQQQ");
        assertThat(response.headers().map().toString()).doesNotContain("QQQQ");
    }

    @Test
    void theSchemeNameIsCaseInsensitiveAsRfc7235Says() {
        for (String scheme : List.of("Bearer", "bearer", "BEARER")) {
            HttpResponse<String> response = RawHttp.send("GET", api("/v1/me"), List.of(scheme + " " + alice), null);
            assertThat(response.statusCode()).as(scheme + ": " + response.body()).isEqualTo(200);
            assertThat(json(response).get("name").asText()).isEqualTo("alice");
        }
    }

    // --- 404: a valid key, but not a model of yours -----------------------------------------------------------------

    /** A caller, a model name and version as they appear in the path, and the endpoints that must 404. */
    record NotYours(String description, String key, String name, String version, List<Endpoint> endpoints) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<NotYours> notYours() {
        List<NotYours> cases = new ArrayList<>(List.of(
                new NotYours("a user without any grant", nobody, "shared", "1", Endpoint.NAMING_A_MODEL),
                new NotYours("a user with a grant for another model", bob, "shared", "1", Endpoint.NAMING_A_MODEL),
                new NotYours("a version path of a model not granted", alice, "private", "1", Endpoint.NAMING_A_MODEL),
                new NotYours("a version that does not exist of a granted model", alice, "shared", "3",
                        Endpoint.NAMING_A_VERSION),
                new NotYours("a model that never existed", alice, "never-existed", "1", Endpoint.NAMING_A_MODEL),
                new NotYours("a retired version of a model not granted", alice, "retired-model", "1",
                        Endpoint.NAMING_A_MODEL),
                new NotYours("a granted model whose versions are all retired", bob, "retired-model", "1",
                        List.of(Endpoint.NAMING_A_MODEL.get(0), Endpoint.NAMING_A_MODEL.get(2))),
                new NotYours("a valid name of the longest length", alice, "m".repeat(64), "1", Endpoint.NAMING_A_MODEL)));
        // Names the CLI would refuse to store; the version is one that exists.
        for (String name : List.of("Shared", "SHARED", "-shared", ".shared", "_shared", "shared!", "sha%20red",
                "sh%C3%A4red", "s".repeat(65), "shared%3Bx")) {
            cases.add(new NotYours("the invalid name " + name, alice, name, "1", Endpoint.NAMING_A_MODEL));
        }
        // Versions that are not positive integers without sign or leading zeros; most would otherwise parse as 1.
        for (String version : List.of("0", "00", "-1", "01", "001", "+1", "1.0", "1e0", "0x1", "abc", "%201", "1%20",
                "%EF%BC%91", "99999999999", "2147483648", "1000000000")) {
            cases.add(new NotYours("the invalid version " + version, alice, "shared", version, Endpoint.NAMING_A_VERSION));
        }
        return cases.stream();
    }

    static Stream<Arguments> notYoursAtEveryEndpoint() {
        return notYours().flatMap(c -> c.endpoints().stream().map(endpoint -> Arguments.of(c, endpoint)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("notYoursAtEveryEndpoint")
    void aModelThatIsNotYoursReadsExactlyLikeOneThatNeverExisted(NotYours notYours, Endpoint endpoint) {
        HttpResponse<String> reference = RawHttp.send("GET", api("/v1/models/no-model-has-this-name"), bearer(alice), null);
        assertErrorShape(reference, 404, "not_found");

        HttpResponse<String> response = endpoint.call(notYours.name(), notYours.version(), bearer(notYours.key()), null);
        assertErrorShape(response, 404, "not_found");
        assertSameAnswer(response, reference, notYours + " at " + endpoint);
        assertThat(response.body()).doesNotContain(notYours.name());
    }

    /** Without this, the 404s above could come from a broken setup rather than from the grants. */
    @Test
    void theOwnersReachTheSameModelsAndVersions() {
        Map<String, List<String>> reachable = Map.of(
                alice, List.of("shared:1", "shared:2"),
                bob, List.of("private:1"));
        reachable.forEach((key, targets) -> targets.forEach(target -> {
            String name = target.split(":")[0];
            String version = target.split(":")[1];
            for (Endpoint endpoint : Endpoint.NAMING_A_MODEL) {
                HttpResponse<String> response = endpoint.call(name, version, bearer(key), null);
                assertThat(response.statusCode()).as(endpoint + " " + target + ": " + response.body()).isEqualTo(200);
            }
        }));
    }

    @Test
    void listsShowOnlyGrantedModelsAndNeverNameTheOthers() {
        Map<String, List<String>> granted = Map.of(alice, List.of("shared"), bob, List.of("private"),
                nobody, List.of());
        granted.forEach((key, models) -> {
            HttpResponse<String> list = RawHttp.send("GET", api("/v1/models"), bearer(key), null);
            HttpResponse<String> me = RawHttp.send("GET", api("/v1/me"), bearer(key), null);
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(me.statusCode()).isEqualTo(200);
            List<String> listed = new ArrayList<>();
            json(list).get("models").forEach(model -> listed.add(model.get("name").asText()));
            List<String> named = new ArrayList<>();
            json(me).get("models").forEach(model -> named.add(model.asText()));
            assertThat(listed).isEqualTo(models);
            assertThat(named).isEqualTo(models);
            for (String other : List.of("shared", "private", "retired-model")) {
                if (!models.contains(other)) {
                    assertThat(list.body()).doesNotContain(other);
                    assertThat(me.body()).doesNotContain(other);
                }
            }
        });
    }

    /**
     * Usage is the caller's own: bob's calls to his model never show in alice's usage, whatever she asks for, and she
     * cannot ask for someone else's.
     */
    @Test
    void usageShowsTheCallersOwnCallsAndNeverAnotherUsers() {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> predicted = RawHttp.send("POST", api("/v1/models/private/predict"), bearer(bob),
                    INPUTS);
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        }
        HttpResponse<String> own = RawHttp.send("POST", api("/v1/models/shared/predict"), bearer(alice), INPUTS);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        TestApp.awaitNoRequestInProgress(APP.getEnvironment());
        HttpResponse<String> flushed = RawHttp.send("POST", admin("/tasks/usage-flush"), List.of(), null);
        assertThat(flushed.statusCode()).as(flushed.body()).isEqualTo(200);

        HttpResponse<String> bobs = RawHttp.send("GET", api("/v1/usage?model=private"), bearer(bob), null);
        assertThat(json(bobs).at("/totals/requests").asLong()).as(bobs.body()).isEqualTo(3);
        for (String query : List.of("", "?model=private", "?granularity=minute", "?model=shared")) {
            HttpResponse<String> usage = RawHttp.send("GET", api("/v1/usage" + query), bearer(alice), null);
            assertThat(usage.statusCode()).as(query + ": " + usage.body()).isEqualTo(200);
            assertThat(json(usage).get("user").asText()).isEqualTo("alice");
            assertThat(usage.body()).as(query).doesNotContain("bob");
            assertThat(json(usage).get("buckets").toString()).as(query).doesNotContain("private");
            assertThat(json(usage).at("/totals/requests").asLong()).as(query)
                    .isEqualTo(query.contains("private") ? 0 : 1);
        }
        for (String query : List.of("?user=bob", "?user=bob&model=private", "?owner=bob")) {
            HttpResponse<String> refused = RawHttp.send("GET", api("/v1/usage" + query), bearer(alice), null);
            assertErrorShape(refused, 400, "invalid_parameter");
            assertThat(refused.body()).doesNotContain("private");
        }
        HttpResponse<String> nobodys = RawHttp.send("GET", api("/v1/usage"), bearer(nobody), null);
        assertThat(json(nobodys).get("buckets")).isEmpty();
    }

    // --- the admin port --------------------------------------------------------------------------------------------

    @Nested
    class AdminPort {
        private ServerConnector connectorOnPort(int port) {
            for (Connector connector : APP.getEnvironment().getApplicationContext().getServer().getConnectors()) {
                if (connector instanceof ServerConnector server && server.getLocalPort() == port) {
                    return server;
                }
            }
            throw new AssertionError("No connector on port " + port);
        }

        @Test
        void listensOnLoopbackOnlyWhileTheApplicationPortListensEverywhere() {
            assertThat(connectorOnPort(APP.getAdminPort()).getHost()).isEqualTo("127.0.0.1");
            assertThat(connectorOnPort(APP.getLocalPort()).getHost()).as("all interfaces").isNull();
            HttpResponse<String> ping = RawHttp.send("GET", "http://127.0.0.1:" + APP.getAdminPort() + "/ping",
                    List.of(), null);
            assertThat(ping.statusCode()).isEqualTo(200);
        }

        /**
         * Every other address of this machine that reaches the application port must not reach the admin port. On
         * Linux 127.0.0.2 is such an address even on a machine without a network.
         */
        @Test
        void isNotReachableOnAnyOtherAddressOfThisMachine() throws Exception {
            List<InetAddress> candidates = new ArrayList<>();
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    nic.inetAddresses().filter(address -> address instanceof Inet4Address).forEach(candidates::add);
                }
            }
            candidates.add(InetAddress.getByName("127.0.0.2"));

            List<InetAddress> tried = new ArrayList<>();
            for (InetAddress address : candidates) {
                if (connects(address, APP.getLocalPort())) {
                    tried.add(address);
                    assertThat(connects(address, APP.getAdminPort())).as("admin port on " + address).isFalse();
                }
            }
            assertThat(connects(InetAddress.getByName("127.0.0.1"), APP.getAdminPort())).isTrue();
            // Where no other address is usable, the connector's bound host (checked above) is the proof.
            System.out.println("Admin port checked unreachable on " + tried);
        }

        private boolean connects(InetAddress address, int port) throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 2000);
                return true;
            } catch (SocketException e) {
                return false;
            }
        }
    }
}

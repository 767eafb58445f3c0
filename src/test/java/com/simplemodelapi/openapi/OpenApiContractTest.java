package com.simplemodelapi.openapi;

import com.simplemodelapi.access.model.Limits;
import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.openapi.OpenApiContract.Operation;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.simplemodelapi.openapi.ContractCases.FAILING;
import static com.simplemodelapi.openapi.ContractCases.IRIS;
import static com.simplemodelapi.openapi.ContractCases.LINEAR;
import static com.simplemodelapi.openapi.ContractCases.NOT_GRANTED;
import static com.simplemodelapi.openapi.ContractCases.UNLOADABLE;
import static com.simplemodelapi.testing.Poll.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Keeps the OpenAPI document true to the running application:
 * <ul>
 * <li>every route of the application's Jersey resource model is in the document, and every operation of the document
 * is a route (so a new endpoint that is not documented fails here);</li>
 * <li>every (path, method, status) the document lists is the answer to at least one request of {@link ContractCases};
 * </li>
 * <li>each of those requests gets exactly its status, the document lists that status for the operation, and the answer
 * has the headers, media type and body (by its schema) that the document gives;</li>
 * <li>the document served at /openapi.json is the one in the jar, and its examples fit their schemas.</li>
 * </ul>
 * The table's /v2 rows must cover the document's /v2 statuses from the start, but they are sent, and the document's /v2
 * operations compared with the routes, only once the application serves a /v2 route: until then the Open Inference
 * Protocol's paths are documented but not yet served.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractTest {
    private static final String DATABASE = TestPostgres.newDatabase();
    private static final Path AUDIT_DIRECTORY =
            Path.of("target", "audit", "OpenApiContractTest-" + UUID.randomUUID()).toAbsolutePath();
    private static final Path AUDIT_LOG = AUDIT_DIRECTORY.resolve("audit.log");
    static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE, AUDIT_LOG,
            ConfigOverride.config("maxBatchSize", String.valueOf(ContractCases.MAX_BATCH)),
            ConfigOverride.config("refreshInterval", "1h"));
    private static final String OPEN_INFERENCE = "/v2";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(PATIENCE).build();
    private static final Pattern TEMPLATE_REGEX = Pattern.compile("\\{\\s*([^}:\\s]+)\\s*:[^}]*}");

    private static String key;
    private static String spentKey;
    private static OpenApiContract contract;

    record Reply(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    @BeforeAll
    static void setUp() throws IOException {
        TestData data = new TestData(DATABASE);
        key = data.user("alice");
        data.user("bob");
        data.linearModel(LINEAR, 1.0);
        data.linearModel(LINEAR, 5.0);
        try (InputStream iris = OpenApiContractTest.class.getResourceAsStream("/demo/" + IRIS + ".json")) {
            data.model(new String(iris.readAllBytes(), StandardCharsets.UTF_8));
        }
        data.model("""
                {"name": "%s", "algorithm": "failing", "inputs": [{"name": "x", "type": "number"}], "parameters": {}}"""
                .formatted(FAILING));
        // As if stored by a server that had an algorithm this one lacks: the CLI would refuse it.
        data.jdbi().useHandle(handle -> handle.createUpdate("INSERT INTO model_versions (name, version, algorithm,"
                        + " inputs, parameters) VALUES (:name, 1, 'no-such-algorithm',"
                        + " CAST('[{\"name\": \"x\", \"type\": \"number\", \"required\": true}]' AS json),"
                        + " CAST('{}' AS json))")
                .bind("name", UNLOADABLE).execute());
        data.linearModel(NOT_GRANTED, 0.0);
        for (String model : List.of(LINEAR, IRIS, FAILING, UNLOADABLE)) {
            data.grant("alice", model);
        }
        data.grant("bob", NOT_GRANTED);
        spentKey = data.user("spent");
        data.grant("spent", LINEAR);
        data.grant("spent", IRIS);
        data.access().setLimits("spent", new Limits(null, null, 0L, null));
        Reply refresh = send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getAdminPort()
                + "/tasks/refresh")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(refresh.status()).as(refresh.body()).isEqualTo(200);

        Reply served = get("/openapi.json");
        assertThat(served.status()).as(served.body()).isEqualTo(200);
        contract = new OpenApiContract(TestData.JSON.readTree(served.body()));
    }

    @Test
    @Order(1)
    void theDocumentServedIsTheOneInTheJarInOpenApi31() {
        assertThat(contract.document()).isEqualTo(OpenApiResource.read());
        assertThat(contract.document().get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(contract.document().at("/components/securitySchemes/bearerKey/scheme").asText())
                .isEqualTo("bearer");
    }

    @Test
    @Order(1)
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() {
        Set<Operation> routes = routes();
        Set<Operation> documented = new TreeSet<>(contract.operations());
        if (!servesOpenInference(routes)) {
            documented.removeIf(operation -> isOpenInference(operation.path()));
        }

        List<String> differences = new ArrayList<>();
        routes.stream().filter(route -> !documented.contains(route))
                .forEach(route -> differences.add("served, not in openapi.yaml: " + route));
        documented.stream().filter(operation -> !routes.contains(operation))
                .forEach(operation -> differences.add("in openapi.yaml, not served: " + operation));
        assertThat(differences).as("the application's routes against the document's operations").isEmpty();
        assertThat(routes).as("the routes found in the resource model")
                .contains(new Operation("GET", "/v1/me"), new Operation("POST", "/v1/models/{name}/predict"));
    }

    @Test
    @Order(1)
    void everyDocumentedStatusIsTheAnswerToACase() {
        // Of the whole table, /v2 rows included: they are checked against the document before /v2 is served.
        List<ContractCase> table = new ArrayList<>(ContractCases.V1);
        table.addAll(ContractCases.V2);
        Set<String> uncovered = new TreeSet<>(contract.operationStatuses());
        table.forEach(c -> uncovered.remove(c.operationStatus()));
        assertThat(uncovered).as("documented statuses that no request of ContractCases gets").isEmpty();

        Set<Operation> operations = contract.operations();
        assertThat(table).allSatisfy(c -> assertThat(operations).as("the operation of " + c)
                .contains(new Operation(c.method(), c.template())));
    }

    @Test
    @Order(1)
    void everyExampleFitsItsSchema() {
        assertThat(contract.problemsWithExamples()).isEmpty();
    }

    @Test
    @Order(1)
    void theDocsPageComesFromThisServerAlone() {
        Reply page = get("/docs");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualToIgnoringWhitespace("text/html;charset=utf-8");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'", "connect-src 'self'");
        assertThat(page.header("X-Request-Id")).isNotBlank();
        assertThat(get("/docs/").body()).isEqualTo(page.body());

        Matcher links = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(page.body());
        List<String> files = new ArrayList<>();
        while (links.find()) {
            files.add(links.group(1));
        }
        assertThat(files).as("the files the page loads").isNotEmpty().allSatisfy(file -> {
            assertThat(file).startsWith("/docs/");
            Reply reply = get(file);
            assertThat(reply.status()).as(file).isEqualTo(200);
            assertThat(reply.header("Content-Type")).as(file).isEqualToIgnoringWhitespace(
                    file.endsWith(".js") ? "text/javascript;charset=utf-8"
                            : file.endsWith(".css") ? "text/css;charset=utf-8" : "image/png");
        });
        assertThat(files).contains("/docs/swagger-ui-bundle.js", "/docs/swagger-initializer.js");
        assertThat(get("/docs/swagger-initializer.js").body()).contains("url: \"/openapi.json\"",
                "validatorUrl: null");

        Reply cached = send(HttpRequest.newBuilder(uri("/docs/swagger-ui.css"))
                .header("If-None-Match", get("/docs/swagger-ui.css").header("ETag")));
        assertThat(cached.status()).isEqualTo(304);
    }

    @Test
    @Order(1)
    void theDocsPageServesNothingElseAndTakesOnlyGets() {
        // The webjar's own page would load an example document from the internet.
        for (String path : List.of("/docs/index.css", "/docs/swagger-ui/index.html", "/docs/../openapi.json.bak")) {
            Reply missing = get(path);
            assertThat(missing.status()).as(path).isIn(400, 404);
            assertThat(missing.body()).contains("\"error\"", "\"request_id\"");
        }
        Reply posted = send(HttpRequest.newBuilder(uri("/docs"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json"));
        assertThat(posted.status()).isEqualTo(405);
        assertThat(posted.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(posted.body()).contains("\"method_not_allowed\"");
    }

    @TestFactory
    @Order(2)
    Stream<DynamicNode> eachCaseGetsItsStatusWithAnAnswerTheDocumentDescribes() {
        List<ContractCase> cases = activeCases();
        return Stream.of(
                dynamicContainer("while the audit log works", cases.stream().filter(c -> !c.auditDown())
                        .map(c -> dynamicTest(c.toString(), () -> check(c)))),
                dynamicTest("the audit log stops working", OpenApiContractTest::takeTheAuditLogAway),
                dynamicContainer("while the audit log cannot be written", cases.stream().filter(ContractCase::auditDown)
                        .map(c -> dynamicTest(c.toString(), () -> check(c)))),
                dynamicTest("the audit log works again", OpenApiContractTest::bringTheAuditLogBack));
    }

    private static void check(ContractCase c) {
        Reply reply = send(c);
        assertThat(reply.status()).as("%s answered %s", c, reply.body()).isEqualTo(c.status());
        Operation operation = new Operation(c.method(), c.template());
        List<String> problems = new ArrayList<>(
                contract.problemsWithAnswer(operation, reply.status(), reply.headers(), reply.body()));
        if (c.status() / 100 == 2 && c.body() != null) {
            problems.addAll(contract.problemsWithRequestBody(operation, c.headers().get("Content-Type"), c.body()));
        }
        assertThat(problems).as("%s answered %s", c, reply.body()).isEmpty();
    }

    /** The cases that count now: the /v2 ones once the application serves /v2. */
    private static List<ContractCase> activeCases() {
        List<ContractCase> cases = new ArrayList<>(ContractCases.V1);
        if (servesOpenInference(routes())) {
            cases.addAll(ContractCases.V2);
        }
        return cases;
    }

    private static boolean servesOpenInference(Set<Operation> routes) {
        return routes.stream().anyMatch(route -> isOpenInference(route.path()));
    }

    private static boolean isOpenInference(String path) {
        return path.equals(OPEN_INFERENCE) || path.startsWith(OPEN_INFERENCE + "/");
    }

    /** Every (method, path template) of the resources registered with the running application's Jersey. */
    private static Set<Operation> routes() {
        ResourceConfig config = APP.getEnvironment().jersey().getResourceConfig();
        Set<Class<?>> classes = new HashSet<>(config.getClasses());
        config.getInstances().forEach(instance -> classes.add(instance.getClass()));
        Set<Operation> routes = new TreeSet<>();
        classes.stream().filter(type -> type.isAnnotationPresent(jakarta.ws.rs.Path.class))
                .forEach(type -> collect(Resource.from(type), "", routes));
        config.getResources().forEach(resource -> collect(resource, "", routes));
        return routes;
    }

    private static void collect(Resource resource, String parent, Set<Operation> routes) {
        String path = parent + "/" + resource.getPath();
        for (ResourceMethod method : resource.getResourceMethods()) {
            routes.add(new Operation(method.getHttpMethod(), normalized(path)));
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, routes);
        }
    }

    /** As the document writes it: {@code {name}} for {@code {name: regex}}, single slashes, none at the end. */
    private static String normalized(String path) {
        String plain = TEMPLATE_REGEX.matcher(path).replaceAll("{$1}").replaceAll("/+", "/");
        return plain.length() > 1 && plain.endsWith("/") ? plain.substring(0, plain.length() - 1) : plain;
    }

    private static void takeTheAuditLogAway() throws IOException {
        try (Stream<Path> files = Files.walk(AUDIT_DIRECTORY)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        Poll.until(PATIENCE, () -> get("/openapi.json").status(), status -> status == 503,
                "calls refused once the audit log's directory is gone");
    }

    private static void bringTheAuditLogBack() throws IOException {
        Files.createDirectories(AUDIT_DIRECTORY);
        Poll.until(PATIENCE, () -> get("/openapi.json").status(), status -> status == 200,
                "calls served once the audit log's directory is back");
    }

    // --- sending ------------------------------------------------------------------------------------------------------

    private static URI uri(String path) {
        return URI.create("http://localhost:" + APP.getLocalPort() + path);
    }

    private static Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)));
    }

    private static Reply send(ContractCase c) {
        if (c.sending() != ContractCase.Sending.NORMALLY) {
            return sendRaw(c);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(c.path())).method(c.method(),
                c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(c.body()));
        c.headers().forEach(request::header);
        if (c.withKey() || c.spentKey()) {
            request.header("Authorization", "Bearer " + (c.withKey() ? key : spentKey));
        }
        return send(request);
    }

    private static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(PATIENCE).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(response.headers().map());
            return new Reply(response.statusCode(), headers, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Over a socket, for what an HTTP client will not do: promise a body and wait, or send it a byte at a time. The
     * request asks the server to close the connection after answering, so the answer is all it sends.
     */
    private static Reply sendRaw(ContractCase c) {
        try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            byte[] body = c.body() == null ? new byte[0] : c.body().getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(c.method() + " " + c.path() + " HTTP/1.1\r\n"
                    + "Host: localhost\r\nConnection: close\r\n");
            if (c.withKey() || c.spentKey()) {
                head.append("Authorization: Bearer ").append(c.withKey() ? key : spentKey).append("\r\n");
            }
            if (!c.headers().containsKey("Content-Length")) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            c.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (c.sending() == ContractCase.Sending.DRIPPED) {
                for (int sent = 0; sent < body.length && in.available() == 0; sent++) {
                    try {
                        out.write(body[sent]);
                        out.flush();
                    } catch (IOException closedByTheServer) {
                        break;
                    }
                    Thread.sleep(100);
                }
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Reply parse(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("the end of the answer's head in: " + text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), name -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        byte[] rest = Arrays.copyOfRange(answer, end + 4, answer.length);
        List<String> coding = headers.get("Transfer-Encoding");
        byte[] body = coding != null && coding.get(0).equalsIgnoreCase("chunked") ? unchunked(rest) : rest;
        return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] unchunked(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = at;
            while (chunked[lineEnd] != '\r') {
                lineEnd++;
            }
            String size = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim();
            int length = Integer.parseInt(size, 16);
            if (length == 0) {
                return body.toByteArray();
            }
            body.write(chunked, lineEnd + 2, length);
            at = lineEnd + 2 + length + 2;
        }
    }
}

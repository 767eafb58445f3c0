package com.simplemodelapi.openapi;

import com.simplemodelapi.openapi.OpenApiContract.Operation;

import java.util.ArrayList;
import java.util.List;

import static com.simplemodelapi.openapi.ContractCase.get;
import static com.simplemodelapi.openapi.ContractCase.post;

/**
 * The contract test's table of requests. Together they must make every (path, method, status) that the document lists,
 * and each must get exactly its status, with an answer that fits the document. A new route or a new documented
 * status needs its rows here, or {@code OpenApiContractTest} fails.
 *
 * <p>The data they run against ({@code OpenApiContractTest.setUp}): the user with the key is granted {@value #LINEAR}
 * (versions 1 and 2), {@value #IRIS} (the demo model the document's examples are for), {@value #FAILING} (its evaluator
 * throws) and {@value #UNLOADABLE} (its one version cannot be loaded); {@value #NOT_GRANTED} exists but is another
 * user's. The server takes at most {@value #MAX_BATCH} instances per call. Another user may call {@value #LINEAR} and
 * {@value #IRIS} too, but their daily quota is 0 instances, so their every prediction is refused.
 */
final class ContractCases {
    static final String LINEAR = "linear";
    static final String IRIS = "iris-species";
    static final String FAILING = "failing";
    static final String UNLOADABLE = "unloadable";
    static final String NOT_GRANTED = "not-granted";
    static final int MAX_BATCH = 3;

    private static final OpenApiContract DOCUMENT = OpenApiContract.fromClassPath();
    private static final String LINEAR_INPUTS = "{\"inputs\": {\"x1\": 3, \"x2\": 1}}";
    private static final String TOO_MANY = "{\"instances\": [{\"x1\": 1, \"x2\": 1}, {\"x1\": 2, \"x2\": 1},"
            + " {\"x1\": 3, \"x2\": 1}, {\"x1\": 4, \"x2\": 1}]}";
    private static final String WRONG_TYPE = "{\"inputs\": {\"x1\": \"three\", \"x2\": 1}}";
    /** More than the server's 1 MiB. */
    private static final long TOO_LARGE = 2L << 20;
    /** Padded, so that dripping it takes far longer than the server waits. */
    private static final String SLOW = LINEAR_INPUTS + " ".repeat(1000);

    private ContractCases() {
    }

    /** This service's own API, and the document itself. */
    static final List<ContractCase> V1 = cases(
            get("/v1/me").withKey().expect(200),
            get("/v1/me").expect(401),
            get("/v1/me").header("Authorization", "Bearer sma_not-a-key").expect(401),
            get("/v1/me").withKey().accept("text/plain").expect(406),
            get("/v1/me").withKey().whileAuditIsDown().expect(503),

            get("/v1/models").withKey().expect(200),
            get("/v1/models").expect(401),
            get("/v1/models").withKey().accept("text/html").expect(406),
            get("/v1/models").withKey().whileAuditIsDown().expect(503),

            get("/v1/models/{name}", LINEAR).withKey().expect(200),
            get("/v1/models/{name}", IRIS).withKey().expect(200),
            get("/v1/models/{name}", UNLOADABLE).withKey().expect(200),
            get("/v1/models/{name}", LINEAR).expect(401),
            get("/v1/models/{name}", NOT_GRANTED).withKey().expect(404),
            get("/v1/models/{name}", "no-such-model").withKey().expect(404),
            get("/v1/models/{name}", "Not_A_Name").withKey().expect(404),
            get("/v1/models/{name}", LINEAR).withKey().accept("text/plain").expect(406),
            get("/v1/models/{name}", LINEAR).withKey().whileAuditIsDown().expect(503),

            get("/v1/models/{name}/versions/{version}", LINEAR, "1").withKey().expect(200),
            get("/v1/models/{name}/versions/{version}", UNLOADABLE, "1").withKey().expect(200),
            get("/v1/models/{name}/versions/{version}", LINEAR, "1").expect(401),
            get("/v1/models/{name}/versions/{version}", LINEAR, "77").withKey().expect(404),
            get("/v1/models/{name}/versions/{version}", LINEAR, "one").withKey().expect(404),
            get("/v1/models/{name}/versions/{version}", NOT_GRANTED, "1").withKey().expect(404),
            get("/v1/models/{name}/versions/{version}", LINEAR, "1").withKey().accept("text/plain").expect(406),
            get("/v1/models/{name}/versions/{version}", LINEAR, "1").withKey().whileAuditIsDown().expect(503),

            get("/v1/usage").withKey().expect(200),
            get("/v1/usage").withKey().query("from=2026-11-01&to=2026-11-30&granularity=hour&model=" + LINEAR)
                    .expect(200),
            get("/v1/usage").withKey().query("granularity=minute").expect(200),
            get("/v1/usage").withKey().query("from=last-week").expect(400),
            get("/v1/usage").withKey().query("user=bob").expect(400),
            get("/v1/usage").expect(401),
            get("/v1/usage").withKey().accept("text/plain").expect(406),
            get("/v1/usage").withKey().whileAuditIsDown().expect(503),

            predictions("/v1/models/{name}/predict"),
            predictions("/v1/models/{name}/versions/{version}/predict", "1"),
            post("/v1/models/{name}/versions/{version}/predict", LINEAR, "2").withKey().json(LINEAR_INPUTS)
                    .expect(200),
            post("/v1/models/{name}/versions/{version}/predict", LINEAR, "77").withKey().json(LINEAR_INPUTS)
                    .expect(404),

            get("/openapi.json").expect(200),
            get("/openapi.json").withKey().expect(200),
            get("/openapi.json").accept("text/html").expect(406),
            get("/openapi.json").whileAuditIsDown().expect(503));

    /**
     * The Open Inference Protocol v2 REST API. Like the rest, these rows must cover every /v2 status the document
     * lists; they are sent only once the application serves a /v2 route. They were written from the document before
     * /v2 was served: whoever adds it makes them pass, changing a row only with the document.
     */
    static final List<ContractCase> V2 = cases(
            get("/v2").expect(200),
            get("/v2").accept("text/plain").expect(406),
            get("/v2").whileAuditIsDown().expect(503),
            get("/v2/health/live").expect(200),
            get("/v2/health/live").accept("text/plain").expect(406),
            get("/v2/health/live").whileAuditIsDown().expect(503),
            get("/v2/health/ready").expect(200),
            get("/v2/health/ready").accept("text/plain").expect(406),
            get("/v2/health/ready").whileAuditIsDown().expect(503),

            get("/v2/models/{name}", IRIS).withKey().expect(200),
            get("/v2/models/{name}", IRIS).expect(401),
            get("/v2/models/{name}", NOT_GRANTED).withKey().expect(404),
            get("/v2/models/{name}", "no-such-model").withKey().expect(404),
            get("/v2/models/{name}", IRIS).withKey().accept("text/plain").expect(406),
            get("/v2/models/{name}", IRIS).withKey().whileAuditIsDown().expect(503),
            get("/v2/models/{name}/versions/{version}", IRIS, "1").withKey().expect(200),
            get("/v2/models/{name}/versions/{version}", IRIS, "1").expect(401),
            get("/v2/models/{name}/versions/{version}", IRIS, "77").withKey().expect(404),
            get("/v2/models/{name}/versions/{version}", IRIS, "1").withKey().accept("text/plain").expect(406),
            get("/v2/models/{name}/versions/{version}", IRIS, "1").withKey().whileAuditIsDown().expect(503),

            get("/v2/models/{name}/ready", IRIS).withKey().expect(200),
            get("/v2/models/{name}/ready", UNLOADABLE).withKey().expect(503),
            get("/v2/models/{name}/ready", IRIS).expect(401),
            get("/v2/models/{name}/ready", NOT_GRANTED).withKey().expect(404),
            get("/v2/models/{name}/ready", IRIS).withKey().accept("text/plain").expect(406),
            get("/v2/models/{name}/ready", IRIS).withKey().whileAuditIsDown().expect(503),
            get("/v2/models/{name}/versions/{version}/ready", IRIS, "1").withKey().expect(200),
            get("/v2/models/{name}/versions/{version}/ready", UNLOADABLE, "1").withKey().expect(503),
            get("/v2/models/{name}/versions/{version}/ready", IRIS, "1").expect(401),
            get("/v2/models/{name}/versions/{version}/ready", IRIS, "77").withKey().expect(404),
            get("/v2/models/{name}/versions/{version}/ready", IRIS, "1").withKey().accept("text/plain").expect(406),
            get("/v2/models/{name}/versions/{version}/ready", IRIS, "1").withKey().whileAuditIsDown().expect(503),

            inferences("/v2/models/{name}/infer"),
            inferences("/v2/models/{name}/versions/{version}/infer", "1"));

    /** Every status of a /v1 prediction operation; {@code version} is the version argument, if the path takes one. */
    private static List<ContractCase> predictions(String template, String... version) {
        List<ContractCase> cases = new ArrayList<>();
        Operation operation = new Operation("POST", template);
        for (String example : DOCUMENT.requestExampleNames(operation, "application/json")) {
            cases.add(post(template, with(IRIS, version)).withKey()
                    .json(DOCUMENT.requestExample(operation, "application/json", example)).expect(200));
        }
        cases.addAll(List.of(
                post(template, with(LINEAR, version)).withKey().json(LINEAR_INPUTS).expect(200),
                post(template, with(LINEAR, version)).withKey()
                        .json("{\"id\": 7, \"instances\": [{\"x1\": 1, \"x2\": 2}]}").expect(200),
                post(template, with(LINEAR, version)).withKey().json("{\"inputs\": ").expect(400),
                post(template, with(LINEAR, version)).withKey().json("{}").expect(400),
                post(template, with(LINEAR, version)).withKey().json(TOO_MANY).expect(400),
                post(template, with(LINEAR, version)).json(LINEAR_INPUTS).expect(401),
                post(template, with(NOT_GRANTED, version)).withKey().json(LINEAR_INPUTS).expect(404),
                post(template, with(LINEAR, version)).withKey().accept("text/plain").json(LINEAR_INPUTS).expect(406),
                post(template, with(LINEAR, version)).withKey().dripped(SLOW).expect(408),
                post(template, with(LINEAR, version)).withKey().expectingContinue(TOO_LARGE).expect(413),
                post(template, with(LINEAR, version)).withKey().body("text/plain", LINEAR_INPUTS).expect(415),
                post(template, with(LINEAR, version)).withKey().json(WRONG_TYPE).expect(422),
                post(template, with(LINEAR, version)).withSpentKey().json(LINEAR_INPUTS).expect(429),
                post(template, with(FAILING, version)).withKey().json("{\"inputs\": {\"x\": 1}}").expect(500),
                post(template, with(UNLOADABLE, version)).withKey().json("{\"inputs\": {\"x\": 1}}").expect(503),
                post(template, with(LINEAR, version)).withKey().json(LINEAR_INPUTS).whileAuditIsDown().expect(503)));
        return cases;
    }

    /** Every status of a /v2 inference operation; {@code version} is the version argument, if the path takes one. */
    private static List<ContractCase> inferences(String template, String... version) {
        List<ContractCase> cases = new ArrayList<>();
        Operation operation = new Operation("POST", template);
        for (String example : DOCUMENT.requestExampleNames(operation, "application/json")) {
            cases.add(post(template, with(IRIS, version)).withKey()
                    .json(DOCUMENT.requestExample(operation, "application/json", example)).expect(200));
        }
        String oneInput = DOCUMENT.requestExample(operation, "application/json", "one-record");
        String unknownInput = "{\"inputs\": [{\"name\": \"no_such_input\", \"shape\": [1], \"datatype\": \"FP64\","
                + " \"data\": [1.0]}]}";
        String unloadableInput = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\","
                + " \"data\": [1.0]}]}";
        String slow = oneInput + " ".repeat(1000);
        cases.addAll(List.of(
                post(template, with(IRIS, version)).withKey().json("{\"inputs\": ").expect(400),
                post(template, with(IRIS, version)).withKey().json(unknownInput).expect(400),
                post(template, with(IRIS, version)).json(oneInput).expect(401),
                post(template, with(NOT_GRANTED, version)).withKey().json(oneInput).expect(404),
                post(template, with(IRIS, version)).withKey().accept("text/plain").json(oneInput).expect(406),
                post(template, with(IRIS, version)).withKey().dripped(slow).expect(408),
                post(template, with(IRIS, version)).withKey().expectingContinue(TOO_LARGE).expect(413),
                post(template, with(IRIS, version)).withKey().body("text/plain", oneInput).expect(415),
                post(template, with(IRIS, version)).withSpentKey().json(oneInput).expect(429),
                post(template, with(UNLOADABLE, version)).withKey().json(unloadableInput).expect(503),
                post(template, with(IRIS, version)).withKey().json(oneInput).whileAuditIsDown().expect(503)));
        return cases;
    }

    private static String[] with(String name, String... version) {
        String[] arguments = new String[1 + version.length];
        arguments[0] = name;
        System.arraycopy(version, 0, arguments, 1, version.length);
        return arguments;
    }

    /** Cases and lists of cases, flattened. */
    private static List<ContractCase> cases(Object... casesOrLists) {
        List<ContractCase> cases = new ArrayList<>();
        for (Object item : casesOrLists) {
            if (item instanceof ContractCase single) {
                cases.add(single);
            } else {
                for (Object inList : (List<?>) item) {
                    cases.add((ContractCase) inList);
                }
            }
        }
        return List.copyOf(cases);
    }
}

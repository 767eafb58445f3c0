package com.simplemodelapi.models.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.simplemodelapi.algorithm.Algorithms;
import com.simplemodelapi.models.api.InputField;
import com.simplemodelapi.models.api.InputType;
import com.simplemodelapi.models.dao.ModelDao;
import com.simplemodelapi.models.file.ModelDefinition;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.jackson.Jackson;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ModelRegistrarTest {
    private static final ObjectMapper JSON = Jackson.newObjectMapper();
    private static final String TWO_INPUTS = "[{\"name\": \"x1\", \"type\": \"number\"}, {\"name\": \"x2\", \"type\": \"integer\"}]";
    private static final String PARAMETERS = "{\"coefficients\": {\"x1\": 2.0, \"x2\": -3.0}, \"intercept\": 1.0}";

    private Jdbi jdbi;
    private ModelRegistrar registrar;

    @BeforeEach
    void database() {
        jdbi = TestPostgres.newMigratedJdbi();
        registrar = new ModelRegistrar(jdbi, Algorithms.discover(), JSON);
    }

    /** A linear model file with the given JSON for its name, algorithm, inputs and parameters. */
    private static ModelDefinition linear(String name, String algorithm, String inputs, String parameters) {
        return parse("{\"name\": " + name + ", \"description\": \"d\", \"algorithm\": " + algorithm
                + ", \"inputs\": " + inputs + ", \"parameters\": " + parameters + "}");
    }

    private static ModelDefinition valid(String name) {
        return linear("\"" + name + "\"", "\"linear-regression\"", TWO_INPUTS, PARAMETERS);
    }

    private static ModelDefinition parse(String json) {
        try {
            return JSON.readValue(json, ModelDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long storedRows() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM model_versions").mapTo(Long.class).one());
    }

    private void assertRejected(ModelDefinition model, String... messageParts) {
        long before = storedRows();
        Throwable thrown = catchThrowable(() -> registrar.register(model));
        assertThat(thrown).isInstanceOf(InvalidModelFileException.class);
        if (messageParts.length > 0) {
            assertThat(thrown.getMessage()).contains(messageParts);
        }
        assertThat(storedRows()).as("rows stored after a rejected model").isEqualTo(before);
    }

    @Test
    void versionsCountUpFromOnePerName() {
        assertThat(registrar.register(valid("alpha"))).isEqualTo(1);
        assertThat(registrar.register(valid("alpha"))).isEqualTo(2);
        assertThat(registrar.register(valid("beta"))).isEqualTo(1);
        assertThat(registrar.register(valid("alpha"))).isEqualTo(3);
        assertThat(registrar.register(valid("beta"))).isEqualTo(2);

        List<String> rows = jdbi.withHandle(h -> h.createQuery(
                "SELECT name || ' v' || version FROM model_versions ORDER BY name, version").mapTo(String.class).list());
        assertThat(rows).containsExactly("alpha v1", "alpha v2", "alpha v3", "beta v1", "beta v2");
    }

    @Test
    void aRejectedDefinitionDoesNotUseUpAVersion() {
        registrar.register(valid("gamma"));
        assertRejected(linear("\"gamma\"", "\"linear-regression\"", TWO_INPUTS, "{\"intercept\": 1.0}"));

        assertThat(registrar.register(valid("gamma"))).isEqualTo(2);
    }

    @Test
    void rejectsBadModelNames() {
        assertRejected(valid("Iris Species"), "The model name must be 1 to 64 lower-case", "got 'Iris Species'");
        assertRejected(valid(""), "got ''");
        assertRejected(linear("null", "\"linear-regression\"", TWO_INPUTS, PARAMETERS), "got nothing");
        assertRejected(valid("Iris"), "got 'Iris'");
        assertRejected(valid("-iris"), "got '-iris'");
        assertRejected(valid("iris/species"), "got 'iris/species'");
        assertRejected(valid("a".repeat(65)), "1 to 64");
    }

    @Test
    void acceptsNamesOfAllowedCharactersUpTo64Long() {
        assertThat(registrar.register(valid("iris-species_2.1"))).isEqualTo(1);
        assertThat(registrar.register(valid("a".repeat(64)))).isEqualTo(1);
    }

    @Test
    void rejectsAModelWithNoAlgorithm() {
        assertRejected(linear("\"m\"", "null", TWO_INPUTS, PARAMETERS), "The model file has no \"algorithm\".");
        assertRejected(parse("{\"name\": \"m\", \"inputs\": " + TWO_INPUTS + ", \"parameters\": " + PARAMETERS + "}"),
                "no \"algorithm\"");
    }

    @Test
    void rejectsAnUnknownAlgorithmNamingTheKnownOnes() {
        assertRejected(linear("\"m\"", "\"random-forest\"", TWO_INPUTS, PARAMETERS),
                "Model 'm' does not fit algorithm 'random-forest'", "Unknown algorithm 'random-forest'",
                "linear-regression", "logistic-regression");
    }

    @Test
    void rejectsAModelWithNoInputs() {
        assertRejected(linear("\"m\"", "\"linear-regression\"", "[]", "{\"coefficients\": {}, \"intercept\": 1.0}"),
                "at least one input");
        assertRejected(linear("\"m\"", "\"linear-regression\"", "null", PARAMETERS), "at least one input");
    }

    @Test
    void rejectsAnInputDeclaredTwice() {
        assertRejected(linear("\"m\"", "\"linear-regression\"",
                        "[{\"name\": \"x1\", \"type\": \"number\"}, {\"name\": \"x1\", \"type\": \"number\"}]",
                        "{\"coefficients\": {\"x1\": 2.0}, \"intercept\": 1.0}"),
                "Input 'x1' is declared twice.");
    }

    @Test
    void rejectsAnInputWithNoType() {
        assertRejected(linear("\"m\"", "\"linear-regression\"",
                        "[{\"name\": \"x1\", \"type\": \"number\"}, {\"name\": \"x2\"}]", PARAMETERS),
                "Input 'x2' needs a \"type\"");
    }

    @Test
    void rejectsInputsWithBadOrNoNames() {
        assertRejected(linear("\"m\"", "\"linear-regression\"", "[{\"type\": \"number\"}]", PARAMETERS),
                "Every input needs a \"name\"", "got nothing");
        assertRejected(linear("\"m\"", "\"linear-regression\"", "[{\"name\": \"1x\", \"type\": \"number\"}]",
                PARAMETERS), "got '1x'");
        assertRejected(linear("\"m\"", "\"linear-regression\"", "[null]", PARAMETERS), "got nothing");
    }

    @Test
    void rejectsAModelWithNoParameters() {
        assertRejected(linear("\"m\"", "\"linear-regression\"", TWO_INPUTS, "null"),
                "The model file has no \"parameters\".");
        assertRejected(parse("{\"name\": \"m\", \"algorithm\": \"linear-regression\", \"inputs\": " + TWO_INPUTS + "}"),
                "no \"parameters\"");
    }

    @Test
    void rejectsParametersThatDoNotFitTheAlgorithm() {
        assertRejected(linear("\"m\"", "\"linear-regression\"", TWO_INPUTS,
                        "{\"coefficients\": {\"x1\": 2.0}, \"intercept\": 1.0}"),
                "Model 'm' does not fit algorithm 'linear-regression'", "no coefficient for input 'x2'");
        assertRejected(linear("\"m\"", "\"linear-regression\"", TWO_INPUTS, "[1, 2]"),
                "does not fit algorithm 'linear-regression'", "must be a JSON object");
        assertRejected(linear("\"m\"", "\"linear-regression\"",
                        "[{\"name\": \"x1\", \"type\": \"string\"}, {\"name\": \"x2\", \"type\": \"number\"}]",
                        PARAMETERS),
                "input 'x1' has type string");
        assertRejected(linear("\"m\"", "\"logistic-regression\"", TWO_INPUTS, PARAMETERS),
                "does not fit algorithm 'logistic-regression'");
    }

    @Test
    void storesNothingForAnyRejectedModel() {
        registrar.register(valid("kept"));
        assertThat(storedRows()).isEqualTo(1);

        assertRejected(valid("Not Valid"));
        assertRejected(linear("\"kept\"", "\"no-such\"", TWO_INPUTS, PARAMETERS));
        assertRejected(linear("\"kept\"", "\"linear-regression\"", TWO_INPUTS, "{}"));

        assertThat(storedRows()).isEqualTo(1);
        assertThat(jdbi.onDemand(ModelDao.class).exists("not-valid")).isFalse();
    }

    @Test
    void storedInputsAndParametersRoundTripWithTheirKeyOrder() throws Exception {
        // Keys deliberately out of alphabetical order: the stored JSON must keep the operator's order.
        ModelDefinition model = parse("""
                {"name": "ordered", "description": "keeps order", "algorithm": "linear-regression",
                 "inputs": [{"name": "zeta", "type": "number"}, {"name": "alpha", "type": "integer", "required": true}],
                 "parameters": {"intercept": -0.5, "coefficients": {"zeta": 1.25, "alpha": 3}}}""");

        int version = registrar.register(model);

        Map<String, Object> row = jdbi.withHandle(h -> h.createQuery(
                        "SELECT description, algorithm, inputs::text AS inputs, parameters::text AS parameters"
                                + " FROM model_versions WHERE name = 'ordered' AND version = :version")
                .bind("version", version).mapToMap().one());
        assertThat(row.get("description")).isEqualTo("keeps order");
        assertThat(row.get("algorithm")).isEqualTo("linear-regression");

        List<InputField> inputs = JSON.readValue((String) row.get("inputs"), new TypeReference<>() { });
        assertThat(inputs).containsExactly(
                new InputField("zeta", InputType.NUMBER, true), new InputField("alpha", InputType.INTEGER, true));

        JsonNode parameters = JSON.readTree((String) row.get("parameters"));
        assertThat(parameters).isEqualTo(model.parameters());
        assertThat(parameters.fieldNames()).toIterable().containsExactly("intercept", "coefficients");
        assertThat(parameters.get("coefficients").fieldNames()).toIterable().containsExactly("zeta", "alpha");
    }

    @Test
    void storesAMissingDescriptionAsEmpty() {
        registrar.register(parse("{\"name\": \"nodesc\", \"algorithm\": \"linear-regression\", \"inputs\": "
                + TWO_INPUTS + ", \"parameters\": " + PARAMETERS + "}"));

        String description = jdbi.withHandle(h -> h.createQuery(
                "SELECT description FROM model_versions WHERE name = 'nodesc'").mapTo(String.class).one());
        assertThat(description).isEmpty();
    }
}

package com.example.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplemodelapi.algorithm.Algorithm;
import com.simplemodelapi.algorithm.Evaluator;
import com.simplemodelapi.models.model.InputField;

import java.util.List;

/** A plug-in whose build fails with an Error, as one built against a class missing from the class path does. */
public final class UnlinkableAlgorithm implements Algorithm {

    @Override
    public String name() {
        return "unlinkable";
    }

    @Override
    public Evaluator build(List<InputField> inputs, JsonNode parameters) {
        throw new NoClassDefFoundError("com/example/rules/MissingDependency");
    }
}

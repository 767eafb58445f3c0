package com.example.rules;

import com.simplemodelapi.spi.Algorithm;
import com.simplemodelapi.spi.AlgorithmContext;
import com.simplemodelapi.spi.Evaluator;
import com.simplemodelapi.spi.ModelSpec;


/** A plug-in whose build fails with an Error, as one built against a class missing from the class path does. */
public final class UnlinkableAlgorithm implements Algorithm {

    @Override
    public String name() {
        return "unlinkable";
    }

    @Override
    public Evaluator build(ModelSpec model, AlgorithmContext context) {
        throw new NoClassDefFoundError("com/example/rules/MissingDependency");
    }
}

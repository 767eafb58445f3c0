package com.simplemodelapi.algorithm;

/** A model's parameters do not fit its algorithm or its inputs. The message is shown to the operator as is. */
public class InvalidModelException extends Exception {
    public InvalidModelException(String message) {
        super(message);
    }
}

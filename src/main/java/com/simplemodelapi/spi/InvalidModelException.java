package com.simplemodelapi.spi;

/** A model does not fit its algorithm: its inputs,
        parameters or artifact. The message is shown to the operator as is. */
public class InvalidModelException extends Exception {
    public InvalidModelException(String message) {
        super(message);
    }
}

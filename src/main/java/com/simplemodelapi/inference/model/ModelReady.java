package com.simplemodelapi.inference.model;

public record ModelReady(String name, boolean ready) {
}

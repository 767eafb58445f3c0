package com.simplemodelapi.inference.model;

public record ServerReady(boolean ready) {
}

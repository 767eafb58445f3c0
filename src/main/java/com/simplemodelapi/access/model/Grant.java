package com.simplemodelapi.access.model;

public record Grant(String userName, String modelName) {
}

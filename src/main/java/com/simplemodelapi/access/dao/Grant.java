package com.simplemodelapi.access.dao;

public record Grant(String userName, String modelName) {
}

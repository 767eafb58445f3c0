package com.simplemodelapi.inference.model;

public record ServerLive(boolean live) {
}

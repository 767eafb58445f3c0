package com.simplemodelapi.cli;

/**
 * What an action prints: {@code text} for people, or with {@code --json} the one JSON document {@code json} becomes
 * (records as objects with snake_case names, timestamps as ISO-8601 UTC).
 */
record Output(String text, Object json) {
}

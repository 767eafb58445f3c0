package com.simplemodelapi.access.api;

import java.util.List;

public record MeView(String name, List<String> models) {
}

package com.simplemodelapi.access.model;

import java.util.List;

public record MeView(String name, List<String> models) {
}

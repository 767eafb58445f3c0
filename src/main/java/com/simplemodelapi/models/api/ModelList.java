package com.simplemodelapi.models.api;

import java.util.List;

public record ModelList(List<ModelView> models) {
}

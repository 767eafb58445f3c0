package com.simplemodelapi.models.model;

import java.util.List;

public record ModelList(List<ModelView> models) {
}

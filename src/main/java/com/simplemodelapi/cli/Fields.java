package com.simplemodelapi.cli;

import java.util.ArrayList;
import java.util.List;

/** One thing described for people: a {@code label:} per line, the values lined up after the longest label. */
final class Fields {
    private final List<String[]> lines = new ArrayList<>();

    Fields add(String label, Object value) {
        lines.add(new String[] {label + ":", Table.cell(value)});
        return this;
    }

    String render() {
        int width = lines.stream().mapToInt(line -> line[0].length()).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (String[] line : lines) {
            text.append(line[0]).append(" ".repeat(width - line[0].length() + 2)).append(line[1]).append('\n');
        }
        return text.toString();
    }
}

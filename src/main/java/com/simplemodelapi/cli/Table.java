package com.simplemodelapi.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Rows for people: a header line, then one line per row, each column as wide as its widest cell and two spaces from
 * the next. No row is a table with only its header. A cell with nothing in it shows {@code -}, so every line splits
 * into the same number of words when no value has spaces.
 */
final class Table {
    static final String NONE = "-";
    private static final String GAP = "  ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell(cell));
        }
        rows.add(row);
        return this;
    }

    String render() {
        int[] widths = new int[headers.size()];
        List<List<String>> lines = new ArrayList<>();
        lines.add(headers);
        lines.addAll(rows);
        for (List<String> line : lines) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> line : lines) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                out.append(i == 0 ? "" : GAP).append(line.get(i));
                if (i < widths.length - 1) {
                    out.append(" ".repeat(widths[i] - line.get(i).length()));
                }
            }
            text.append(out.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    /**
     * How a value reads in a cell: nothing as {@code -}, a time in UTC to the second, a list comma-separated, and
     * line breaks and other control characters as spaces so that a row stays one line.
     */
    static String cell(Object value) {
        String text;
        if (value == null) {
            text = NONE;
        } else if (value instanceof Instant instant) {
            text = instant.truncatedTo(ChronoUnit.SECONDS).toString();
        } else if (value instanceof Boolean flag) {
            text = flag ? "yes" : "no";
        } else if (value instanceof Collection<?> values) {
            text = values.isEmpty() ? NONE : values.stream().map(Table::cell).collect(Collectors.joining(", "));
        } else {
            text = value.toString();
        }
        text = text.replaceAll("\\p{Cntrl}", " ");
        return text.isEmpty() ? NONE : text;
    }
}

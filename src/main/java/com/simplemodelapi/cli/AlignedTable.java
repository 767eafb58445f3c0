package com.simplemodelapi.cli;

import java.util.ArrayList;
import java.util.List;

/** Rows of text in columns padded to their widest cell, with a header line, as {@code ps} or {@code kubectl} print. */
final class AlignedTable {
    private static final String GAP = "  ";

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    AlignedTable(String... header) {
        this.header = List.of(header);
    }

    AlignedTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("A row of " + cells.length + " cells in a table of " + header.size());
        }
        rows.add(List.of(cells));
        return this;
    }

    /** The table, each line ending in a newline, with no trailing spaces. */
    String render() {
        int[] widths = new int[header.size()];
        for (List<String> line : lines()) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], line.get(column).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> line : lines()) {
            StringBuilder out = new StringBuilder();
            for (int column = 0; column < widths.length; column++) {
                String cell = line.get(column);
                out.append(cell);
                if (column < widths.length - 1) {
                    out.append(" ".repeat(widths[column] - cell.length())).append(GAP);
                }
            }
            text.append(out.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private List<List<String>> lines() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }
}

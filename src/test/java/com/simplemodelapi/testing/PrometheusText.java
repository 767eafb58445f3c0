package com.simplemodelapi.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A scrape of {@code /prometheus}, parsed: each sample's name, labels and value. */
public final class PrometheusText {
    /** One line of samples: {@code name{label="value",...} 1.0}. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final String text;
    private final List<Sample> samples;

    private PrometheusText(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        return new PrometheusText(text, List.copyOf(samples));
    }

    public String text() {
        return text;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The text without the samples' values: the names, labels, help and types, where a secret could hide. */
    public String withoutValues() {
        StringBuilder kept = new StringBuilder();
        for (String line : text.split("\n")) {
            kept.append(line.startsWith("#") ? line : line.substring(0, line.lastIndexOf(' '))).append('\n');
        }
        return kept.toString();
    }

    /**
     * The value of the sample with this name and exactly these labels ({@code "model", "m", "version", "1"}); 0 when
     * there is none, as for a counter not yet counted.
     */
    public double value(String name, String... labelPairs) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            wanted.put(labelPairs[i], labelPairs[i + 1]);
        }
        return samples.stream()
                .filter(sample -> sample.name().equals(name) && new TreeMap<>(sample.labels()).equals(wanted))
                .mapToDouble(Sample::value)
                .findFirst()
                .orElse(0);
    }

    /** The sum of the values of every sample of that name, whatever its labels. */
    public double sum(String name) {
        return named(name).stream().mapToDouble(Sample::value).sum();
    }

    /** The samples of that name. */
    public List<Sample> named(String name) {
        return samples.stream().filter(sample -> sample.name().equals(name)).toList();
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            rest = labels(line, brace + 1, labels);
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        String[] valueAndTime = line.substring(rest).trim().split(" ");
        return new Sample(name, labels, Double.parseDouble(valueAndTime[0].replace("Inf", "Infinity")));
    }

    /** Reads {@code a="x",b="y"}} from {@code at}; returns the index after the closing brace. */
    private static int labels(String line, int at, Map<String, String> labels) {
        int i = at;
        while (line.charAt(i) != '}') {
            int equals = line.indexOf('=', i);
            String label = line.substring(i, equals).trim();
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            while (line.charAt(j) != '"') {
                char c = line.charAt(j);
                if (c == '\\') {
                    char escaped = line.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
                j++;
            }
            labels.put(label, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i + 1;
    }
}

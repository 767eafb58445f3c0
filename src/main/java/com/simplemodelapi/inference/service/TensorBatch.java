package com.simplemodelapi.inference.service;

import com.simplemodelapi.models.api.InputField;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import static com.simplemodelapi.inference.service.InferenceRequestReader.invalid;
import static com.simplemodelapi.inference.service.InferenceRequestReader.tensor;

/**
 * An infer request's tensors checked against a model's inputs: one tensor per input, each of shape [N] or [N, 1] and
 * a datatype that feeds the input's type, all with the same N. The rows it hands the evaluator are views of the
 * columns, not maps filled per record.
 */
public final class TensorBatch {
    private final String[] names;
    private final TensorData[] columns;
    private final int rows;

    private TensorBatch(String[] names, TensorData[] columns, int rows) {
        this.names = names;
        this.columns = columns;
        this.rows = rows;
    }

    public static TensorBatch of(List<InputField> inputs, List<InputTensor> tensors, int maxBatchSize) {
        Map<String, InputField> declared = new HashMap<>();
        inputs.forEach(input -> declared.put(input.name(), input));
        Map<String, InputTensor> byName = new HashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            InputTensor tensor = tensors.get(i);
            String what = tensor(tensor.name(), i);
            InputField input = declared.get(tensor.name());
            if (input == null) {
                throw invalid(what + " is not an input of this model; its inputs are "
                        + String.join(", ", inputs.stream().map(InputField::name).toList()) + ".");
            }
            if (byName.putIfAbsent(tensor.name(), tensor) != null) {
                throw invalid(what + " is sent twice; send one tensor per input.");
            }
            if (tensor.datatype().feeds() != input.type()) {
                throw invalid(what + " has datatype " + tensor.datatype() + ", but input '" + input.name()
                        + "' is " + article(input.type().jsonName()) + ": send "
                        + Datatype.namesFeeding(input.type()) + ".");
            }
            List<Long> shape = tensor.shape();
            if (!(shape.size() == 1 || shape.size() == 2 && shape.get(1) == 1)) {
                throw invalid(what + " has shape " + shape + "; an input takes one value per row, as [N] or [N, 1].");
            }
        }
        String[] names = new String[byName.size()];
        TensorData[] columns = new TensorData[byName.size()];
        int rows = -1;
        String first = null;
        int column = 0;
        for (InputField input : inputs) {
            InputTensor tensor = byName.get(input.name());
            if (tensor == null) {
                if (input.required()) {
                    throw invalid("Input '" + input.name() + "' has no tensor; send one named '" + input.name()
                            + "'.");
                }
                continue;
            }
            int n = tensor.data().length();
            if (rows >= 0 && n != rows) {
                throw invalid("Tensors have different numbers of rows: '" + first + "' has " + rows + ", '"
                        + input.name() + "' has " + n + ".");
            }
            rows = n;
            first = first == null ? input.name() : first;
            names[column] = input.name();
            columns[column++] = tensor.data();
        }
        if (rows < 1) {
            throw invalid("The tensors hold no rows; send at least one.");
        }
        if (rows > maxBatchSize) {
            throw invalid("A request may hold at most " + maxBatchSize + " rows; this one has " + rows
                    + ". Split it into smaller requests.");
        }
        return new TensorBatch(names, columns, rows);
    }

    public int rows() {
        return rows;
    }

    /** The rows, as the evaluator takes them: row {@code i} maps each input sent to its value in row {@code i}. */
    public List<Map<String, Object>> instances() {
        return new AbstractList<>() {
            @Override
            public Map<String, Object> get(int row) {
                return new Row(row);
            }

            @Override
            public int size() {
                return rows;
            }
        };
    }

    private static String article(String type) {
        return (type.startsWith("i") ? "an " : "a ") + type;
    }

    /** One row: a read-only map over the columns. */
    private final class Row extends AbstractMap<String, Object> {
        private final int row;

        Row(int row) {
            this.row = row;
        }

        @Override
        public Object get(Object key) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(key)) {
                    return columns[i].value(row);
                }
            }
            return null;
        }

        @Override
        public boolean containsKey(Object key) {
            for (String name : names) {
                if (name.equals(key)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int size() {
            return names.length;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < names.length;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (!hasNext()) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(names[i], columns[i].value(row));
                        }
                    };
                }

                @Override
                public int size() {
                    return names.length;
                }
            };
        }
    }
}

package com.simplemodelapi.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An evaluator that works one instance at a time, for algorithms with nothing to gain from a batch: implement
 * {@link #predict}, and batches are evaluated instance by instance, in order.
 */
public interface RecordEvaluator extends Evaluator {

    /** Evaluates one instance, checked as {@link Evaluator} describes. */
    Map<String, Object> predict(Map<String, Object> instance);

    @Override
    default List<Map<String, Object>> predictBatch(List<Map<String, Object>> instances) {
        List<Map<String, Object>> predictions = new ArrayList<>(instances.size());
        for (Map<String, Object> instance : instances) {
            predictions.add(predict(instance));
        }
        return predictions;
    }
}

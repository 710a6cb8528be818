package org.mha4j.promote;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** The same step on several servers at once (a virtual thread each), as MHA forks one child per replica. */
public final class InParallel {
    private InParallel() {}

    /** A task that may fail with any exception (a refusal, SQL). */
    public interface Task<T, R> {
        R apply(T item) throws Exception;
    }

    /**
     * @return each item's result, in the order of {@code items}; the first failure (in that order) is thrown as it was
     *         thrown, after every task ended
     */
    public static <T, R> List<R> map(List<T> items, Task<T, R> task) throws Exception {
        List<R> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<R>> fs = items.stream().map(i -> pool.submit(() -> task.apply(i))).toList();
            for (Future<R> f : fs) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception x ? x : e;
                }
            }
        }
        return out;
    }

    /** @return the problems the tasks reported, in the order of {@code items} */
    public static <T> List<String> problems(List<T> items, Function<T, Optional<String>> task) throws Exception {
        return map(items, task::apply).stream().flatMap(Optional::stream).toList();
    }
}
